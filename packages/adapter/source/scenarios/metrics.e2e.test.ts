import { hang, startModelServer, text, toolUse } from "@claude-k8s/lab/source/model-server/index.ts";
import { createKubeClient, MANAGED_SELECTOR, sweepNamespace } from "@claude-k8s/k8s-runtime";
import { DEFAULT_INSTANCE_ID, LabelKey } from "@claude-k8s/manifest";
import { adminClients, eventually, runLeftovers } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { KubeConfig } from "@kubernetes/client-node";
import { metrics } from "@opentelemetry/api";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execute } from "../execute.ts";
import { useLabAgent } from "../test-utils/lab-agent.ts";
import { paperclipContext } from "../test-utils/paperclip-context.ts";

// The metrics a host sees when it registers a MeterProvider: real runs in the lab (a
// success, an agent failure, a cancel), read back through the SDK's in-memory exporter.
const agent = useLabAgent("metrics");
const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
// The interval never fires during the test: values are read with forceFlush.
const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });

beforeAll(() => {
  expect(metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }))).toBe(true);
});
afterAll(async () => {
  await reader.shutdown();
  metrics.disable();
});

interface Point {
  attributes: Record<string, unknown>;
  value: number | { count: number; sum?: number; min?: number };
}

async function collected(): Promise<Map<string, { unit: string; points: Point[] }>> {
  exporter.reset();
  await reader.forceFlush();
  const byName = new Map<string, { unit: string; points: Point[] }>();
  for (const resource of exporter.getMetrics()) {
    for (const scope of resource.scopeMetrics) {
      if (scope.scope.name !== "@claude-k8s/k8s-runtime") continue;
      for (const metric of scope.metrics) byName.set(metric.descriptor.name, { unit: metric.descriptor.unit, points: metric.dataPoints as Point[] });
    }
  }
  return byName;
}

const sum = (points: Point[] | undefined, match: Record<string, unknown> = {}) =>
  (points ?? []).filter((point) => Object.entries(match).every(([key, value]) => point.attributes[key] === value)).reduce((total, point) => total + (typeof point.value === "number" ? point.value : point.value.count), 0);

const noLeftovers = (runId: string) => eventually("no leftovers", async () => ((await runLeftovers(agent.namespace, runId)).length === 0 ? true : undefined), 150_000);

describe("metrics through @opentelemetry/api", () => {
  it("count runs by outcome and error code, time startup and result, and count API requests, with nothing in flight after", async () => {
    const success = await startModelServer({ script: [text("Done.")] });
    const failing = await startModelServer({ script: [toolUse("Bash", { command: "echo 1" }, { repeat: 5 }), text("never reached")] });
    const hanging = await startModelServer({ script: [hang()] });
    try {
      const ok = paperclipContext({ config: agent.config(success) });
      expect((await execute(ok.ctx)).errorCode).toBeUndefined();
      const failed = paperclipContext({ config: agent.config(failing, { maxTurnsPerRun: 1 }) });
      expect((await execute(failed.ctx)).errorCode).toBe("max_turns_exhausted");
      const cancelled = paperclipContext({ config: agent.config(hanging) });
      const running = execute(cancelled.ctx);
      await eventually("the CLI to reach the model", async () => (hanging.requests.length > 0 ? true : undefined), 120_000);
      cancelled.abort.abort(new Error("Cancelled by a board operator"));
      expect((await running).errorCode).toBe("cancelled");
      for (const run of [ok, failed, cancelled]) await noLeftovers(run.ctx.runId);
    } finally {
      await Promise.all([success.close(), failing.close(), hanging.close()]);
    }

    const seen = await collected();
    const runs = seen.get("claude_k8s.runs");
    expect(runs?.unit).toBe("{run}");
    expect(sum(runs?.points, { "claude_k8s.run.outcome": "success" })).toBe(1);
    expect(sum(runs?.points, { "claude_k8s.run.outcome": "failure", "error.type": "max_turns_exhausted" })).toBe(1);
    expect(sum(runs?.points, { "claude_k8s.run.outcome": "cancelled", "error.type": "cancelled" })).toBe(1);
    expect(sum(seen.get("claude_k8s.runs.active")?.points)).toBe(0);

    // Every run's container started; the two that ended on their own have a result latency.
    const startup = seen.get("claude_k8s.job.startup.duration");
    expect(startup?.unit).toBe("s");
    expect(sum(startup?.points)).toBe(3);
    expect(sum(seen.get("claude_k8s.run.result.duration")?.points)).toBe(2);

    const requests = seen.get("claude_k8s.api.requests")?.points;
    expect(sum(requests, { "claude_k8s.api.verb": "create", "claude_k8s.api.resource": "jobs", "http.response.status_code": 201 })).toBe(3);
    expect(sum(requests, { "claude_k8s.api.verb": "watch", "claude_k8s.api.resource": "pods" })).toBeGreaterThanOrEqual(1);
    expect(sum(requests, { "claude_k8s.api.verb": "get", "claude_k8s.api.resource": "pods/log" })).toBeGreaterThanOrEqual(2);
    expect(sum(requests, { "claude_k8s.api.verb": "delete", "claude_k8s.api.resource": "jobs" })).toBeGreaterThanOrEqual(3);
  });

  it("count the sweep's deletions by resource", async () => {
    // A run's Secret whose run never made a Job: the sweep takes it once it is old enough (here: a sweep an hour ahead).
    const labels = Object.fromEntries(MANAGED_SELECTOR.split(",").map((pair) => pair.split("=") as [string, string]));
    await adminClients().core.createNamespacedSecret({ namespace: agent.namespace, body: { metadata: { name: "left-by-a-lost-run", labels: { ...labels, [LabelKey.instance]: DEFAULT_INSTANCE_ID, "paperclip.io/run-id": "lost-run" } }, stringData: { x: "y" } } });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(agent.kubeconfig);
    const client = await createKubeClient(kubeConfig);
    try {
      const before = sum((await collected()).get("claude_k8s.sweep.deletions")?.points, { "claude_k8s.api.resource": "secrets" });
      const report = await sweepNamespace(client, agent.namespace, { delete: true, now: Date.now() + 3_600_000 });
      expect(report.plan.secrets.map((item) => item.object.metadata?.name)).toEqual(["left-by-a-lost-run"]);
      const after = await collected();
      expect(after.get("claude_k8s.sweep.deletions")?.unit).toBe("{object}");
      expect(sum(after.get("claude_k8s.sweep.deletions")?.points, { "claude_k8s.api.resource": "secrets" }) - before).toBe(1);
    } finally {
      client.close();
    }
  });
});
