import { describe, expect, it } from "vitest";
import { KubeApiError } from "../kube/kube-api-error.ts";
import type { KubeClient, KubeRequest } from "../kube/kube-client.ts";
import { AgentLockBusyError, acquireAgentLock } from "./agent-lock.ts";
import type { Lease } from "./lease-time.ts";

/** A launch lock held by a live process whose clock is two hours behind ours: it renews, but its renewTime looks old. */
function laggingHolderClient(): { client: KubeClient; requests: string[] } {
  const requests: string[] = [];
  let version = 1;
  const client: KubeClient = {
    server: "https://fake.invalid",
    contextNamespace: undefined,
    async request<T>(request: KubeRequest): Promise<T> {
      requests.push(request.method);
      if (request.method === "POST") throw new KubeApiError({ status: 409, reason: "AlreadyExists", verb: "POST", path: request.path });
      if (request.method === "GET") {
        version += 1;
        const lease: Lease = { metadata: { name: "lock", resourceVersion: String(version) }, spec: { holderIdentity: "live-holder", leaseDurationSeconds: 1, renewTime: new Date(Date.now() - 2 * 3600_000).toISOString() } };
        return lease as T;
      }
      throw new Error(`unexpected ${request.method}: the lock must not be taken over`);
    },
    stream: () => Promise.reject(new Error("no streams")),
    close() {},
  };
  return { client, requests };
}

describe("acquireAgentLock", () => {
  it("never takes over a lock whose holder keeps renewing, however old its clock makes the renewTime look", async () => {
    const { client, requests } = laggingHolderClient();
    const error = await acquireAgentLock({ client, namespace: "agents", agentId: "agent-skew", holder: "me", waitMs: 1500 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentLockBusyError);
    expect(requests).not.toContain("PUT");
  });
});
