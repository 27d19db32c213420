import { adminClients, eventually, faultProxy } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { describe, expect, it } from "vitest";
import { useLabNamespace } from "../test-utils/lab-namespace.ts";
import { SharedWatch, type WatchEvent } from "./shared-watch.ts";

interface ConfigMap {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  data?: Record<string, string>;
}

describe("SharedWatch against a real API server", () => {
  const admin = adminClients();
  const proxy = faultProxy();
  const ns = useLabNamespace("rt-watch", { viaFaultProxy: true });

  const create = (name: string, value = "1") =>
    admin.core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name }, data: { value } } });

  it("lists what exists, then delivers every change in order, and replays the cache to late subscribers", async () => {
    await create("before");
    const watch = new SharedWatch<ConfigMap>({ client: ns.client, path: `/api/v1/namespaces/${ns.name}/configmaps`, labelSelector: "" }).start();
    try {
      const events: string[] = [];
      watch.subscribe((event) => events.push(`${event.type} ${event.object.metadata?.name} ${event.object.data?.value ?? ""}`));
      await watch.synced();
      expect(events.filter((line) => !line.includes("kube-root-ca"))).toEqual(["ADDED before 1"]);

      await create("during");
      await ns.client.request({
        method: "PATCH",
        path: `/api/v1/namespaces/${ns.name}/configmaps/during`,
        body: { data: { value: "2" } },
        contentType: "application/merge-patch+json",
      });
      await admin.core.deleteNamespacedConfigMap({ name: "before", namespace: ns.name });
      await eventually("the delete to arrive", async () => (events.some((line) => line.startsWith("DELETED before")) ? true : undefined));
      expect(events.filter((line) => !line.includes("kube-root-ca"))).toEqual(["ADDED before 1", "ADDED during 1", "MODIFIED during 2", "DELETED before 1"]);

      const late: WatchEvent<ConfigMap>[] = [];
      watch.subscribe((event) => late.push(event));
      expect(late.map((event) => `${event.type} ${event.object.metadata?.name}`).filter((line) => !line.includes("kube-root-ca"))).toEqual(["ADDED during"]);
      expect(watch.get("during", ns.name)?.data?.value).toBe("2");
      expect(watch.stats.lists).toBe(1);
    } finally {
      await watch.stop();
    }
  });

  it("resumes from its resourceVersion when the connection is cut, without a relist and without losing a change", async () => {
    const watch = new SharedWatch<ConfigMap>({ client: ns.client, path: `/api/v1/namespaces/${ns.name}/configmaps`, labelSelector: "cut=yes" }).start();
    try {
      const seen: string[] = [];
      watch.subscribe((event) => seen.push(`${event.type} ${event.object.metadata?.name}`));
      await watch.synced();
      for (let round = 0; round < 3; round++) {
        await eventually("the watch to be open", async () => ((await proxy.stats()).open.watch > 0 ? true : undefined));
        expect(await proxy.cut("watch", { namespace: ns.name })).toBeGreaterThan(0);
        // Changes made while the watch is down must still arrive.
        await admin.core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: `cut-${round}`, labels: { cut: "yes" } } } });
      }
      await eventually("all three creations", async () => (seen.length >= 3 ? true : undefined));
      expect(seen).toEqual(["ADDED cut-0", "ADDED cut-1", "ADDED cut-2"]);
      expect(watch.stats.lists).toBe(1);
      expect(watch.stats.watches).toBeGreaterThanOrEqual(4);
    } finally {
      await watch.stop();
    }
  });

  it("keeps delivering after the API server restarts", async () => {
    const watch = new SharedWatch<ConfigMap>({ client: ns.client, path: `/api/v1/namespaces/${ns.name}/configmaps`, labelSelector: "restart=yes" }).start();
    try {
      const seen: string[] = [];
      watch.subscribe((event) => seen.push(`${event.type} ${event.object.metadata?.name}`));
      await watch.synced();
      await proxy.restartApiServer();
      await admin.core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: "after-restart", labels: { restart: "yes" } } } });
      await eventually("the creation after the restart", async () => (seen.includes("ADDED after-restart") ? true : undefined), 60_000);
      expect(seen).toEqual(["ADDED after-restart"]);
    } finally {
      await watch.stop();
    }
  });
});
