import { readFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { Watch } from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  adminClients,
  createTestNamespace,
  eventually,
  expectApiError,
  faultProxy,
  labEndpoints,
} from "../test-support/lab-client.ts";

// Rules are scoped to this file's namespace so other test files are not disturbed; the
// API-server restart is global, which is why the lab's e2e files run one at a time.

describe("the fault proxy", () => {
  const proxy = faultProxy();
  const proxied = adminClients({ viaFaultProxy: true });
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;
  beforeAll(async () => {
    ns = await createTestNamespace("lab-proxy");
  });
  afterEach(() => proxy.clearFaults());
  afterAll(() => ns?.remove());

  /** Opens a watch on the namespace's ConfigMaps through the proxy; `ended` settles when it ends. */
  async function openWatch() {
    let resolveEnded: (error: unknown) => void = () => {};
    const ended = new Promise<unknown>((resolve) => (resolveEnded = resolve));
    const controller = await new Watch(proxied.kubeConfig).watch(
      `/api/v1/namespaces/${ns.name}/configmaps`,
      {},
      () => {},
      (error) => resolveEnded(error ?? "ended"),
    );
    await eventually("the watch to be open at the proxy", async () =>
      (await proxy.stats()).open.watch > 0 ? true : undefined,
    );
    return { ended, controller };
  }

  it("counts requests by verb and resource", async () => {
    const before = (await proxy.stats()).requests;
    await proxied.core.listNamespacedConfigMap({ namespace: ns.name });
    await proxied.core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: "counted" } } });
    await proxied.core.readNamespacedConfigMap({ name: "counted", namespace: ns.name });
    await proxied.batch.listNamespacedJob({ namespace: ns.name });
    const after = (await proxy.stats()).requests;
    const delta = (key: string) => (after[key] ?? 0) - (before[key] ?? 0);
    expect(delta("list configmaps")).toBe(1);
    expect(delta("create configmaps")).toBe(1);
    expect(delta("get configmaps")).toBe(1);
    expect(delta("list jobs.batch")).toBe(1);
  });

  it("adds latency to matching requests only", async () => {
    await proxy.addLatency({ ms: 3000, match: { namespace: ns.name, verb: "list" } });
    // Order, not wall-clock thresholds: the delayed request is sent first and still finishes
    // after one that does not match, sent later.
    const finished: string[] = [];
    const delayed = proxied.core.listNamespacedConfigMap({ namespace: ns.name }).then(() => finished.push("matching"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const direct = proxied.core.listNamespacedConfigMap({ namespace: "default" }).then(() => finished.push("other"));
    await Promise.all([delayed, direct]);
    expect(finished).toEqual(["other", "matching"]);
  });

  it("answers 503 and 429 for a number of requests, then lets them through again", async () => {
    await proxy.injectErrors({ status: 503, count: 1, match: { namespace: ns.name, resource: "configmaps" } });
    await proxy.injectErrors({ status: 429, count: 1, retryAfterSeconds: 2, match: { namespace: ns.name, resource: "configmaps" } });
    const first = await expectApiError(() => proxied.core.listNamespacedConfigMap({ namespace: ns.name }));
    expect(first.code).toBe(503);
    const second = await expectApiError(() => proxied.core.listNamespacedConfigMap({ namespace: ns.name }));
    expect(second.code).toBe(429);
    expect(second.headers["retry-after"]).toBe("2");
    await expect(proxied.core.listNamespacedConfigMap({ namespace: ns.name })).resolves.toBeDefined();
  });

  it("answers 500 for a window of time", async () => {
    await proxy.injectErrors({ status: 500, durationMs: 1_000, match: { namespace: ns.name } });
    expect((await expectApiError(() => proxied.core.listNamespacedConfigMap({ namespace: ns.name }))).code).toBe(500);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expect(proxied.core.listNamespacedConfigMap({ namespace: ns.name })).resolves.toBeDefined();
  });

  it("cuts open watches on demand", async () => {
    const watch = await openWatch();
    const cut = await proxy.cut("watch", { namespace: ns.name });
    expect(cut).toBe(1);
    await watch.ended;
    const stats = await proxy.stats();
    expect(stats.cutConnections).toBeGreaterThanOrEqual(1);
  });

  it("cuts a followed log stream on demand (needs the lab's node)", async () => {
    await proxied.core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: { name: "ticker" },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{ name: "main", image: "lab.local/ticker:1", command: ["sh", "-c", "while true; do echo tick; sleep 0.2; done"] }],
        },
      },
    });
    await eventually("the ticker pod to run", async () => {
      const pod = await proxied.core.readNamespacedPod({ name: "ticker", namespace: ns.name });
      return pod.status?.phase === "Running" ? true : undefined;
    });
    // A raw follow request: we want to see exactly how the stream ends, with no client
    // library reconnecting or hiding it.
    const lab = labEndpoints();
    const pki = join(lab.dataDir, "pki");
    let cutCount: Promise<number> = Promise.resolve(0);
    const ended = new Promise<string>((resolve) => {
      const req = request(
        `${lab.proxyServer}/api/v1/namespaces/${ns.name}/pods/ticker/log?follow=true`,
        { ca: readFileSync(lab.caPath), cert: readFileSync(join(pki, "admin.crt")), key: readFileSync(join(pki, "admin.key")) },
        (res) => {
          res.once("data", () => {
            cutCount = proxy.cut("log", { namespace: ns.name });
          });
          res.on("end", () => resolve("ended cleanly"));
          res.on("error", () => resolve("cut"));
        },
      );
      req.on("error", () => resolve("cut"));
      req.end();
    });
    // A cut is an abrupt end, not the clean end of a finished stream.
    expect(await ended).toBe("cut");
    expect(await cutCount).toBe(1);
  });

  it("restarts the kube-apiserver; watches end and the API comes back", async () => {
    const watch = await openWatch();
    const { ms } = await proxy.restartApiServer();
    expect(ms).toBeGreaterThan(0);
    await watch.ended;
    const list = await proxied.core.listNamespacedConfigMap({ namespace: ns.name });
    expect(list.items.map((cm) => cm.metadata?.name)).toContain("counted");
  });
});
