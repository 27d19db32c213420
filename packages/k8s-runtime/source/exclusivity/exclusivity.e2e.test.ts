import { eventually } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { describe, expect, it } from "vitest";
import { WatchHub } from "../kube/watch-hub.ts";
import { useLabNamespace } from "../test-utils/lab-namespace.ts";
import { AgentLockBusyError, acquireAgentLock, agentLockName } from "./agent-lock.ts";
import { microTime } from "./lease-time.ts";
import { OwnerHeartbeat, ownerLastSeenFrom, ownerLeaseName } from "./owner-heartbeat.ts";

const ns = useLabNamespace("rt-lock");

describe("acquireAgentLock", () => {
  it("lets one launcher of an agent in at a time, across clients, and never blocks other agents", async () => {
    const order: string[] = [];
    const first = await acquireAgentLock({ client: ns.client, namespace: ns.name, agentId: "agent-a", holder: "run-1" });
    const secondAcquired = acquireAgentLock({ client: ns.client, namespace: ns.name, agentId: "agent-a", holder: "run-2", waitMs: 20_000 }).then((lock) => {
      order.push("second acquired");
      return lock;
    });
    const other = await acquireAgentLock({ client: ns.client, namespace: ns.name, agentId: "agent-b", holder: "run-9" });
    order.push("other agent acquired");
    await new Promise((resolve) => setTimeout(resolve, 300));
    order.push("first releases");
    await first.release();
    const second = await secondAcquired;
    expect(order).toEqual(["other agent acquired", "first releases", "second acquired"]);
    await second.release();
    await other.release();
  });

  it("keeps a lock it holds longer than the Lease duration: it renews it, and a contender waits", async () => {
    const holder = await acquireAgentLock({ client: ns.client, namespace: ns.name, agentId: "agent-slow", holder: "run-slow", leaseDurationSeconds: 1 });
    const error = await acquireAgentLock({ client: ns.client, namespace: ns.name, agentId: "agent-slow", holder: "run-other", waitMs: 3000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentLockBusyError);
    await holder.release();
  });

  it("gives up on a busy lock with an error that names the holder", async () => {
    const holder = await acquireAgentLock({ client: ns.client, namespace: ns.name, agentId: "agent-busy", holder: "run-holding" });
    const error = await acquireAgentLock({ client: ns.client, namespace: ns.name, agentId: "agent-busy", holder: "run-waiting", waitMs: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentLockBusyError);
    expect((error as AgentLockBusyError).code).toBe("k8s_concurrent_run_blocked");
    expect((error as Error).message).toContain("run-holding");
    await holder.release();
  });

  it("takes over the lock of a holder that died, and the dead holder's late release does not free it", async () => {
    // A holder that crashed: its Lease is never renewed nor released.
    const leases = `/apis/coordination.k8s.io/v1/namespaces/${ns.name}/leases`;
    const dead = await ns.client.request<{ metadata: { resourceVersion: string } }>({ method: "POST", path: leases, body: { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: agentLockName("agent-crash") }, spec: { holderIdentity: "run-crashed", leaseDurationSeconds: 1, renewTime: microTime(Date.now()) } } });
    const next = await acquireAgentLock({ client: ns.client, namespace: ns.name, agentId: "agent-crash", holder: "run-next", waitMs: 10_000 });
    // The dead holder's late release (a delete of its version) does not free it.
    const late = await ns.client.request({ method: "DELETE", path: `${leases}/${agentLockName("agent-crash")}`, body: { apiVersion: "v1", kind: "DeleteOptions", preconditions: { resourceVersion: dead.metadata.resourceVersion } } }).catch((error: unknown) => error);
    expect(late).toMatchObject({ status: 409 });
    const lease = await ns.client.request<{ spec: { holderIdentity: string } }>({ method: "GET", path: `/apis/coordination.k8s.io/v1/namespaces/${ns.name}/leases/${agentLockName("agent-crash")}` });
    expect(lease.spec.holderIdentity).toBe("run-next");
    await next.release();
  });
});

describe("OwnerHeartbeat", () => {
  it("announces this process in a namespace; a shared watch sees it renewed, and gone after stop", async () => {
    const heartbeat = new OwnerHeartbeat(ns.client, { ownerId: "owner-test-1" });
    const hub = new WatchHub(ns.client, { lingerMs: 0 });
    const owners = ownerLastSeenFrom(hub, ns.name);
    try {
      await owners.synced;
      // Never seen is not dead: alive from the first time it is asked about.
      const firstAsked = owners.lastSeen("owner-test-1");
      expect(firstAsked).toBeDefined();
      await heartbeat.ensure(ns.name);
      // The shared watch shows the Lease, and its owner is alive. (Its first sighting stands
      // in with the Lease's own renewTime, which may be a moment before firstAsked.)
      await eventually("the owner Lease to be seen", async () => (owners.watch.get(ownerLeaseName("owner-test-1"), ns.name) ? true : undefined));
      expect(owners.lastSeen("owner-test-1")).toBeDefined();
      await heartbeat.stop();
      await eventually("the owner Lease to be gone", async () => (owners.lastSeen("owner-test-1") === undefined ? true : undefined));
    } finally {
      owners.release();
      await hub.close();
      await heartbeat.stop();
    }
  });
});
