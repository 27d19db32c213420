// ./dev bench runtime: what the adapter costs the API server and how fast it settles,
// measured in a lab of its own (real control plane and node), through the fault proxy's
// request counts. The container runs a stand-in for claude that replays a recorded
// transcript (no model here): this measures the adapter, not the model.
//
//   node source/bench.ts [--short 60] [--long 600] [--latency-runs 20] [--concurrent 50]
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { randomUUID } from "node:crypto";
import { createKubeClient, KubeApiError } from "@claude-k8s/k8s-runtime";
import { KubeConfig } from "@kubernetes/client-node";
import { startLab } from "@claude-k8s/lab/source/lab.ts";
import { parseArgs, stringFlag } from "./cli/args.ts";
import { closeRuntimes } from "./kube-access.ts";
import { execute } from "./execute.ts";
import type { AdapterExecutionResult } from "./paperclip-types.ts";

const args = parseArgs(process.argv.slice(2), { values: ["short", "long", "latency-runs", "concurrent"], booleans: [] });
const shortSeconds = Number(stringFlag(args, "short") ?? 60);
const longSeconds = Number(stringFlag(args, "long") ?? 600);
const latencyRuns = Number(stringFlag(args, "latency-runs") ?? 20);
const concurrent = Number(stringFlag(args, "concurrent") ?? 50);
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const transcript = path.resolve(import.meta.dirname, "../../stream-parser/test/fixtures/tool-then-text.jsonl");
const work = mkdtempSync(path.join(tmpdir(), "claude-k8s-bench-"));
chmodSync(work, 0o755);
writeFileSync(path.join(work, "transcript.jsonl"), readFileSync(transcript));
chmodSync(path.join(work, "transcript.jsonl"), 0o644);
// The stand-in: reads the prompt, waits BENCH_SECONDS, replays the transcript, prints the
// moment it exits (ms) so the bench can measure exit -> execute() returning.
writeFileSync(
  path.join(work, "claude"),
  `#!/bin/sh
cat > /dev/null
sleep "\${BENCH_SECONDS:-0}"
cat ${path.join(work, "transcript.jsonl")}
echo "exit-at $(date +%s%3N)"
`,
  { mode: 0o755 },
);

log("starting a lab of its own");
const labDir = mkdtempSync(path.join(tmpdir(), "claude-k8s-bench-lab-"));
const lab = await startLab({ dataDir: labDir, build: "if-missing", log: () => {} });
const proxy = lab.faultProxy.controls;
const namespace = "bench";
{
  const admin = new KubeConfig();
  admin.loadFromFile(lab.kubeconfigPath);
  const client = await createKubeClient(admin);
  await client.request({ method: "POST", path: "/api/v1/namespaces", body: { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } } }).catch((error: unknown) => {
    if (!(error instanceof KubeApiError && error.isConflict)) throw error;
  });
  client.close();
}

const config = (seconds: number) => ({
  kubeconfig: lab.proxiedKubeconfigPath,
  namespace,
  image: "lab.local/bench:1",
  promptTemplate: "",
  env: { PATH: `${work}:/usr/bin:/bin`, BENCH_SECONDS: String(seconds), ANTHROPIC_API_KEY: "sk-bench" },
  // The stand-in needs next to nothing: small requests, so the lab's one node fits every run at once.
  resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
});

async function run(seconds: number, agentId = `agent-${randomUUID().slice(0, 8)}`): Promise<{ result: AdapterExecutionResult; exitAt?: number; returnedAt: number }> {
  let exitAt: number | undefined;
  const result = await execute({
    runId: randomUUID(),
    agent: { id: agentId, companyId: "bench" },
    runtime: { sessionId: null, sessionParams: null, sessionDisplayId: null, taskKey: null },
    config: config(seconds),
    context: { paperclipTaskMarkdown: "bench" },
    onLog: async (_stream, chunk) => {
      const match = /^exit-at (\d+)/.exec(chunk);
      if (match) exitAt = Number(match[1]);
    },
  });
  return { result, ...(exitAt !== undefined ? { exitAt } : {}), returnedAt: Date.now() };
}

function delta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([key, count]) => [key, count - (before[key] ?? 0)]).filter(([, count]) => (count as number) > 0));
}

// 1. API requests of one run of each length, on a warm process (its watches and owner Lease
//    already up, as in a server that has run before). What a run costs by itself is then
//    apart from what the process pays on a timer whatever the number of runs: its owner
//    heartbeat (a Lease patch every 40 s) and its shared watch streams, which the API
//    server ends every ~5 minutes and which resume from their resourceVersion.
log("one warm-up run (starts the shared watches and the owner heartbeat)");
await run(0);
const perRun: { label: string; counts: Record<string, number> }[] = [];
for (const seconds of [shortSeconds, longSeconds]) {
  const before = (await proxy.stats()).requests;
  log(`one run of ${seconds} s`);
  const { result } = await run(seconds);
  if (result.errorMessage) throw new Error(`bench run failed: ${result.errorMessage}`);
  perRun.push({ label: `${seconds} s run`, counts: delta(before, (await proxy.stats()).requests) });
}
const isProcessLevel = (key: string) => key.startsWith("watch ") || key === "patch leases.coordination.k8s.io" || (key.startsWith("list ") && key !== "list jobs.batch");

// 2. Container exit -> execute() returning, on a warm process.
log(`${latencyRuns} short runs for exit-to-return latency`);
const latencies: number[] = [];
for (let index = 0; index < latencyRuns; index++) {
  const { result, exitAt, returnedAt } = await run(0);
  if (result.errorMessage || exitAt === undefined) throw new Error(`latency run failed: ${result.errorMessage ?? "no exit marker"}`);
  latencies.push(returnedAt - exitAt);
}

// 3. Many concurrent runs in one process.
log(`${concurrent} concurrent runs`);
globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let peakRss = rssBefore;
let peakOpenWatches = 0;
const sampler = setInterval(async () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  peakOpenWatches = Math.max(peakOpenWatches, (await proxy.stats()).open.watch);
}, 250);
const startedAll = Date.now();
const results = await Promise.all(Array.from({ length: concurrent }, () => run(5)));
clearInterval(sampler);
loop.disable();
const succeeded = results.filter(({ result }) => result.errorMessage === undefined).length;
const failures = results.filter(({ result }) => result.errorMessage !== undefined).map(({ result }) => `${result.errorCode}: ${result.errorMessage?.split("\n")[0]}`);
const openWatchesAfter = (await proxy.stats()).open.watch;
await closeRuntimes();
await lab.stop();
rmSync(labDir, { recursive: true, force: true });
rmSync(work, { recursive: true, force: true });

// Report.
const keys = [...new Set(perRun.flatMap((entry) => Object.keys(entry.counts)))].sort((a, b) => Number(isProcessLevel(a)) - Number(isProcessLevel(b)) || a.localeCompare(b));
const total = (counts: Record<string, number>, filter: (key: string) => boolean = () => true) => Object.entries(counts).filter(([key]) => filter(key)).reduce((sum, [, count]) => sum + count, 0);
const sortedLatency = [...latencies].sort((a, b) => a - b);
const percentile = (p: number) => sortedLatency[Math.min(sortedLatency.length - 1, Math.floor((p / 100) * sortedLatency.length))] ?? 0;
console.log(`| API requests (verb resource) | ${perRun.map((entry) => entry.label).join(" | ")} |`);
console.log(`|---|${perRun.map(() => "---:").join("|")}|`);
for (const key of keys) console.log(`| ${key}${isProcessLevel(key) ? " (process: timer, shared by all runs)" : ""} | ${perRun.map((entry) => entry.counts[key] ?? 0).join(" | ")} |`);
console.log(`| **the run's own requests** | ${perRun.map((entry) => total(entry.counts, (key) => !isProcessLevel(key))).join(" | ")} |`);
console.log(`| process-level during the run | ${perRun.map((entry) => total(entry.counts, isProcessLevel)).join(" | ")} |`);
console.log();
console.log(`| container exit -> execute() returns (${latencies.length} runs) | ms |`);
console.log("|---|---:|");
console.log(`| p50 | ${percentile(50)} |`);
console.log(`| p95 | ${percentile(95)} |`);
console.log(`| max | ${sortedLatency.at(-1) ?? 0} |`);
console.log();
console.log(`| ${concurrent} concurrent runs in one process | value |`);
console.log("|---|---:|");
console.log(`| succeeded | ${succeeded} / ${concurrent} |`);
console.log(`| wall time | ${((Date.now() - startedAll) / 1000).toFixed(1)} s |`);
console.log(`| RSS growth at peak, per run | ${((peakRss - rssBefore) / 1024 / 1024 / concurrent).toFixed(2)} MiB |`);
console.log(`| event-loop delay p99 | ${(loop.percentile(99) / 1e6).toFixed(1)} ms |`);
console.log(`| open watch connections, peak / after | ${peakOpenWatches} / ${openWatchesAfter} |`);
for (const failure of failures.slice(0, 5)) console.log(`failure: ${failure}`);
