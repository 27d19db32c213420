import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { KubeConfig } from "@kubernetes/client-node";
import { buildRunManifests, type RunManifests, requireAdapterConfig } from "@claude-k8s/manifest";
import { adminClients, createTestNamespace, eventually, faultProxy, labEndpoints, runLeftovers } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultPodBudgets } from "../decisions/classify-pod-status.ts";
import { createRuntimeContext, type RuntimeContext } from "./runtime-context.ts";
import { type RunJobOptions, runJob } from "./run-job.ts";

// The container runs a stand-in for claude (no model here): a script that prints
// stream-json-shaped lines. What is under test is the runtime, not the CLI.
let runtime: RuntimeContext;
let ns: Awaited<ReturnType<typeof createTestNamespace>>;
let fakeClaude: string;
const admin = adminClients();

beforeAll(async () => {
  ns = await createTestNamespace("rt-run");
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(labEndpoints().proxiedKubeconfigPath);
  runtime = await createRuntimeContext(kubeConfig);
  const dir = mkdtempSync(path.join(tmpdir(), "fake-claude-"));
  chmodSync(dir, 0o755);
  fakeClaude = path.join(dir, "fake-claude.sh");
  writeFileSync(
    fakeClaude,
    `#!/bin/sh
# Reads the prompt from stdin like claude, then behaves as FAKE_MODE says.
prompt=$(cat)
case "$FAKE_MODE" in
  # PID 1 ignores SIGTERM without a handler (as in a real container): claude has one, so does this.
  hang) trap 'exit 143' TERM; echo '{"type":"system","subtype":"init","uuid":"u-init"}'; sleep 600 & wait ;;
  fail) echo '{"type":"result","subtype":"success","is_error":true,"uuid":"u-r"}'; exit 1 ;;
  slow) echo '{"type":"system","subtype":"init","uuid":"u-init"}'; sleep 3
     i=0; while [ $i -lt 20 ]; do i=$((i+1)); echo "{\\"type\\":\\"assistant\\",\\"uuid\\":\\"u-$i\\"}"; done
     echo '{"type":"result","subtype":"success","is_error":false,"result":"done","uuid":"u-result"}' ;;
  *) i=0; while [ $i -lt 20 ]; do i=$((i+1)); echo "{\\"type\\":\\"assistant\\",\\"uuid\\":\\"u-$i\\"}"; done
     echo "{\\"type\\":\\"result\\",\\"subtype\\":\\"success\\",\\"is_error\\":false,\\"result\\":\\"got $(printf %s "$prompt" | wc -c) bytes\\",\\"uuid\\":\\"u-result\\"}" ;;
esac
`,
  );
  chmodSync(fakeClaude, 0o755);
});
afterAll(async () => {
  await runtime?.close();
  await ns?.remove();
  if (fakeClaude) rmSync(path.dirname(fakeClaude), { recursive: true, force: true });
});

function manifestsFor(runId: string, agentId: string, extra: Record<string, unknown> = {}, mode = "ok"): RunManifests {
  const { config } = requireAdapterConfig({ namespace: ns.name, image: "lab.local/busybox:1", env: { FAKE_MODE: mode }, ...extra });
  const manifests = buildRunManifests({
    config,
    run: { runId, agent: { id: agentId, companyId: "company-1", name: "Runner" }, runtime: null, context: { issueId: "issue-1", paperclipTaskMarkdown: "Do the thing." }, authToken: "jwt" },
  });
  const container = manifests.job.spec.template.spec.containers[0];
  container.args = [fakeClaude, ...container.args.slice(1)];
  return manifests;
}

function options(manifests: RunManifests, agentId: string, runId: string, overrides: Partial<RunJobOptions> = {}) {
  const lines: string[] = [];
  const status: string[] = [];
  const opts: RunJobOptions = {
    runtime,
    manifests,
    run: { agentId, runId, taskId: "issue-1" },
    policy: { reattachOrphanedJobs: true, ownerStaleAfterMs: 300_000 },
    budgets: defaultPodBudgets,
    deadlineMs: 0,
    retainJob: false,
    signal: new AbortController().signal,
    onLine: (line) => void lines.push(line),
    onStatus: (text) => void status.push(text),
    ...overrides,
  };
  return { opts, lines, status };
}

const leftovers = (runId: string) => runLeftovers(ns.name, runId);

describe("runJob in the lab", () => {
  it("a cleanup the API server refuses: cleanup failed, never a failed run, and a RunCleanupFailed Event on the Job with the command", async () => {
    const runId = randomUUID();
    const agentId = `agent-${runId.slice(0, 8)}`;
    const { opts } = options(manifestsFor(runId, agentId), agentId, runId);
    const proxy = faultProxy();
    // Every delete of this namespace's Jobs refused while the run ends.
    const rule = await proxy.injectErrors({ status: 403, durationMs: 120_000, match: { verb: "delete", resource: "jobs", namespace: ns.name } });
    let outcome: Awaited<ReturnType<typeof runJob>>;
    try {
      outcome = await runJob(opts);
    } finally {
      await proxy.clearFaults();
    }
    expect(rule).toBeTruthy();
    expect(outcome).toMatchObject({ kind: "finished", cleanup: "failed", container: { exitCode: 0 } });
    if (outcome.kind !== "finished") return;
    const events = await admin.core.listNamespacedEvent({ namespace: ns.name, fieldSelector: `involvedObject.uid=${outcome.job.uid}` });
    const ours = events.items.filter((event) => event.source?.component === "claude-k8s");
    expect(ours.map((event) => [event.type, event.reason])).toEqual([["Warning", "RunCleanupFailed"]]);
    expect(ours[0]?.message).toContain(`kubectl delete job ${outcome.job.name} -n ${ns.name}`);
    await admin.batch.deleteNamespacedJob({ name: outcome.job.name, namespace: ns.name, propagationPolicy: "Background" });
    await eventually("no leftovers", async () => ((await leftovers(runId)).length === 0 ? true : undefined), 60_000);
  });

  it("launches, streams every line, reports the container's exit and leaves nothing behind", async () => {
    const runId = randomUUID();
    const agentId = `agent-${runId.slice(0, 8)}`;
    const { opts, lines } = options(manifestsFor(runId, agentId), agentId, runId);
    let ready = false;
    opts.beforeLaunch = () => {
      ready = true;
    };
    const outcome = await runJob(opts);
    expect(ready).toBe(true);
    expect(outcome.kind).toBe("finished");
    if (outcome.kind !== "finished") return;
    expect(outcome.container).toMatchObject({ exitCode: 0, oomKilled: false });
    expect(lines).toHaveLength(21);
    expect(lines[20]).toMatch(/"result":"got \d+ bytes"/);
    expect(outcome.timedOut).toBe(false);
    expect(outcome.deletedExternally).toBe(false);
    expect(outcome.cleanup).toBe("gone");
    expect(await leftovers(runId)).toEqual([]);
  });

  it("honours a 30-day deadline (past setTimeout's 24.8 days): the run finishes, not timed out", async () => {
    const runId = randomUUID();
    const agentId = `agent-${runId.slice(0, 8)}`;
    const { opts, lines } = options(manifestsFor(runId, agentId), agentId, runId, { deadlineMs: 30 * 24 * 3600 * 1000 });
    const outcome = await runJob(opts);
    expect(outcome).toMatchObject({ kind: "finished", timedOut: false, container: { exitCode: 0 } });
    expect(lines).toHaveLength(21);
    expect(await leftovers(runId)).toEqual([]);
  });

  it("does not take its new Job for a deleted one while the Job watch lags behind", async () => {
    const runId = randomUUID();
    const agentId = `agent-${runId.slice(0, 8)}`;
    const proxy = faultProxy();
    // Every Job watch event of this namespace arrives 4 s late: the new Job is not in the cache right after the create.
    await proxy.addLatency({ ms: 4000, on: "stream", match: { verb: "watch", resource: "jobs", namespace: ns.name } });
    try {
      const { opts, lines } = options(manifestsFor(runId, agentId), agentId, runId);
      const outcome = await runJob(opts);
      expect(outcome).toMatchObject({ kind: "finished", deletedExternally: false, container: { exitCode: 0 }, cleanup: "gone" });
      expect(lines).toHaveLength(21);
    } finally {
      await proxy.clearFaults();
    }
    expect(await leftovers(runId)).toEqual([]);
  });

  it("reads the end of a successful run whose log stream stalls without closing", async () => {
    const runId = randomUUID();
    const agentId = `agent-${runId.slice(0, 8)}`;
    const { opts, lines } = options(manifestsFor(runId, agentId, {}, "slow"), agentId, runId);
    const running = runJob(opts);
    await eventually("the first line", async () => (lines.length > 0 ? true : undefined), 60_000);
    expect(await faultProxy().stall("log", { namespace: ns.name })).toBeGreaterThan(0);
    const outcome = await running;
    expect(outcome).toMatchObject({ kind: "finished", container: { exitCode: 0 }, log: { end: "complete" } });
    expect(lines).toHaveLength(22);
    expect(lines[21]).toContain('"type":"result"');
    expect(await leftovers(runId)).toEqual([]);
  });

  it("reports a failing container's exit code", async () => {
    const runId = randomUUID();
    const agentId = `agent-${runId.slice(0, 8)}`;
    const { opts } = options(manifestsFor(runId, agentId, {}, "fail"), agentId, runId);
    const outcome = await runJob(opts);
    expect(outcome).toMatchObject({ kind: "finished", container: { exitCode: 1 } });
    expect(await leftovers(runId)).toEqual([]);
  });

  it("cancels: deletes the Job, confirms the pods are gone and acknowledges", async () => {
    const runId = randomUUID();
    const agentId = `agent-${runId.slice(0, 8)}`;
    const controller = new AbortController();
    const { opts, lines } = options(manifestsFor(runId, agentId, {}, "hang"), agentId, runId, { signal: controller.signal });
    const running = runJob(opts);
    await eventually("the first line", async () => (lines.length > 0 ? true : undefined), 60_000);
    controller.abort();
    const outcome = await running;
    expect(outcome).toMatchObject({ kind: "finished", cancelled: { podsGone: true } });
    expect(await leftovers(runId)).toEqual([]);
  });

  it("notices a Job deleted by someone else", async () => {
    const runId = randomUUID();
    const agentId = `agent-${runId.slice(0, 8)}`;
    const { opts, lines } = options(manifestsFor(runId, agentId, {}, "hang"), agentId, runId);
    const running = runJob(opts);
    await eventually("the first line", async () => (lines.length > 0 ? true : undefined), 60_000);
    const job = await admin.batch.listNamespacedJob({ namespace: ns.name, labelSelector: `paperclip.io/run-id=${runId}` });
    await admin.batch.deleteNamespacedJob({ name: job.items[0]!.metadata!.name!, namespace: ns.name, propagationPolicy: "Background" });
    const outcome = await running;
    expect(outcome).toMatchObject({ kind: "finished", deletedExternally: true });
    await eventually("no leftovers", async () => ((await leftovers(runId)).length === 0 ? true : undefined), 60_000);
  });

  it("fails an unschedulable pod with the scheduler's message once the schedule budget is spent", async () => {
    const runId = randomUUID();
    const agentId = `agent-${runId.slice(0, 8)}`;
    const manifests = manifestsFor(runId, agentId, { resources: { requests: { cpu: "64", memory: "1Gi" }, limits: { cpu: "64", memory: "1Gi" } } });
    const { opts, status } = options(manifests, agentId, runId, { budgets: { ...defaultPodBudgets, scheduleTimeoutMs: 3000 } });
    const outcome = await runJob(opts);
    expect(status.some((line) => line.includes("FailedScheduling"))).toBe(true);
    expect(outcome).toMatchObject({ kind: "finished", podFailure: { code: "k8s_pod_unschedulable" } });
    if (outcome.kind === "finished") {
      expect(outcome.podFailure?.message).toMatch(/Insufficient cpu/);
      // The scheduler's Event reached the run log and the outcome.
      expect(outcome.events.some((line) => line.includes("FailedScheduling"))).toBe(true);
    }
    expect(await leftovers(runId)).toEqual([]);
  });

  it("refuses to start, naming the missing permission, under an identity that may not use the namespace", async () => {
    const { core } = adminClients();
    await core.createNamespacedServiceAccount({ namespace: ns.name, body: { metadata: { name: "no-rights" } } });
    const token = (await core.createNamespacedServiceAccountToken({ name: "no-rights", namespace: ns.name, body: { spec: { expirationSeconds: 600, audiences: [] } } })).status?.token;
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: "lab", server: labEndpoints().proxyServer, caFile: labEndpoints().caPath, skipTLSVerify: false }],
      users: [{ name: "no-rights", token }],
      contexts: [{ name: "lab", cluster: "lab", user: "no-rights" }],
      currentContext: "lab",
    });
    const powerless = await createRuntimeContext(kubeConfig);
    try {
      const runId = randomUUID();
      const agentId = `agent-${runId.slice(0, 8)}`;
      const { opts } = options(manifestsFor(runId, agentId), agentId, runId, { runtime: powerless });
      const outcome = await runJob(opts);
      expect(outcome).toMatchObject({ kind: "not-launched", code: "k8s_forbidden" });
      if (outcome.kind === "not-launched") expect(outcome.message).toMatch(/leases|jobs|pods/);
      expect(await leftovers(runId)).toEqual([]);
    } finally {
      await powerless.close();
    }
  });

  it("blocks a second run of the same agent while the first is live, naming its Job", async () => {
    const agentId = `agent-${randomUUID().slice(0, 8)}`;
    const firstRun = randomUUID();
    const controller = new AbortController();
    const first = options(manifestsFor(firstRun, agentId, {}, "hang"), agentId, firstRun, { signal: controller.signal });
    const running = runJob(first.opts);
    await eventually("the first run's first line", async () => (first.lines.length > 0 ? true : undefined), 60_000);
    const secondRun = randomUUID();
    const second = options(manifestsFor(secondRun, agentId), agentId, secondRun);
    second.opts.run = { ...second.opts.run, taskId: "issue-2" };
    const outcome = await runJob(second.opts);
    expect(outcome).toMatchObject({ kind: "not-launched", code: "k8s_concurrent_run_blocked" });
    if (outcome.kind === "not-launched") expect(outcome.message).toContain(first.opts.manifests.names.job);
    controller.abort();
    await running;
  });
});
