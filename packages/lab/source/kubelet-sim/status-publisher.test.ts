import { describe, expect, it } from "vitest";
import { type ApiClient, ApiError } from "./api-client.ts";
import { StatusPublisher } from "./status-publisher.ts";
import type { Pod, PodStatus } from "./types.ts";

const pod: Pod = { metadata: { name: "p", namespace: "ns", uid: "u-1" }, spec: { containers: [] } };

/** A fake API whose PATCHes wait until released, recording what was sent. */
function fakeApi(answer: (n: number) => Error | undefined = () => undefined) {
  const sent: Array<{ path: string; body: unknown }> = [];
  let release: () => void = () => {};
  const api = {
    server: "fake",
    close() {},
    stream: () => Promise.reject(new Error("unused")),
    async json<T>(_method: string, path: string, options?: { body?: unknown }) {
      sent.push({ path, body: options?.body });
      await new Promise<void>((resolve) => (release = resolve));
      const error = answer(sent.length);
      if (error) throw error;
      return { ...pod, status: (options?.body as { status?: PodStatus } | undefined)?.status } as T;
    },
  } as ApiClient;
  return { api, sent, release: () => release() };
}

describe("StatusPublisher", () => {
  it("sends one request at a time, only the newest status, and nothing unchanged", async () => {
    const { api, sent, release } = fakeApi();
    let phase: PodStatus["phase"] = "Pending";
    const publisher = new StatusPublisher({ api, key: "ns/p", log: () => {}, pod: () => pod, status: () => ({ phase }), patched: () => {} });
    publisher.publish();
    phase = "Running";
    publisher.publish();
    phase = "Succeeded";
    publisher.publish();
    expect(sent).toHaveLength(1);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await publisher.settled();
    publisher.publish(); // unchanged: not sent again
    await publisher.settled();
    expect(sent.map((s) => s.body)).toEqual([
      { metadata: { uid: "u-1" }, status: { phase: "Pending" } },
      { metadata: { uid: "u-1" }, status: { phase: "Succeeded" } },
    ]);
    expect(sent[0]?.path).toBe("/api/v1/namespaces/ns/pods/p/status");
  });

  it("gives up when the pod (this UID) is gone", async () => {
    const { api, sent, release } = fakeApi(() => new ApiError(409, "Precondition failed: UID in precondition: u-1"));
    const publisher = new StatusPublisher({ api, key: "ns/p", log: () => {}, pod: () => pod, status: () => ({ phase: "Running" }), patched: () => {} });
    publisher.publish();
    release();
    await publisher.settled();
    expect(sent).toHaveLength(1);
  });

  it("sends nothing after stop", async () => {
    const { api, sent } = fakeApi();
    const publisher = new StatusPublisher({ api, key: "ns/p", log: () => {}, pod: () => pod, status: () => ({ phase: "Running" }), patched: () => {} });
    publisher.stop();
    publisher.publish();
    await publisher.settled();
    expect(sent).toHaveLength(0);
  });
});
