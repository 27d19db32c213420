import { adminClients, eventually, faultProxy } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { metrics } from "@opentelemetry/api";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SharedWatch } from "../kube/shared-watch.ts";
import { useLabNamespace } from "../test-utils/lab-namespace.ts";

// Watch restarts as a host's MeterProvider sees them: connections cut by the fault proxy.
const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
beforeAll(() => {
  expect(metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))).toBe(true);
});
afterAll(async () => {
  await reader.shutdown();
  metrics.disable();
});

async function counter(name: string, attributes: Record<string, unknown>): Promise<number> {
  exporter.reset();
  await reader.forceFlush();
  let total = 0;
  for (const resource of exporter.getMetrics())
    for (const scope of resource.scopeMetrics)
      for (const metric of scope.metrics) {
        if (metric.descriptor.name !== name) continue;
        for (const point of metric.dataPoints) if (Object.entries(attributes).every(([key, value]) => point.attributes[key] === value)) total += point.value as number;
      }
  return total;
}

describe("watch metrics", () => {
  const admin = adminClients();
  const proxy = faultProxy();
  const ns = useLabNamespace("rt-watch-metrics", { viaFaultProxy: true });

  it("count each re-opened watch as a restart, and no relist while the resourceVersion holds", async () => {
    const watch = new SharedWatch<{ metadata?: { name?: string } }>({ client: ns.client, path: `/api/v1/namespaces/${ns.name}/configmaps`, labelSelector: "cut=yes" }).start();
    try {
      await watch.synced();
      const before = await counter("claude_k8s.watch.restarts", { "claude_k8s.api.resource": "configmaps" });
      for (let round = 0; round < 2; round++) {
        await eventually("the watch to be open", async () => ((await proxy.stats()).open.watch > 0 ? true : undefined));
        expect(await proxy.cut("watch", { namespace: ns.name })).toBeGreaterThan(0);
        await admin.core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: `cut-${round}`, labels: { cut: "yes" } } } });
      }
      await eventually("both creations", async () => (watch.list().length >= 2 ? true : undefined));
      expect((await counter("claude_k8s.watch.restarts", { "claude_k8s.api.resource": "configmaps" })) - before).toBeGreaterThanOrEqual(2);
      expect(await counter("claude_k8s.watch.relists", { "claude_k8s.api.resource": "configmaps" })).toBe(0);
    } finally {
      await watch.stop();
    }
  });
});
