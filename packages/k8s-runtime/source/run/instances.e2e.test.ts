import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { KubeConfig } from "@kubernetes/client-node";
import { buildRunManifests, type RunManifests, requireAdapterConfig } from "@claude-k8s/manifest";
import { adminClients, createTestNamespace, eventually, labEndpoints, runLeftovers } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultPodBudgets } from "../decisions/classify-pod-status.ts";
import { createRuntimeContext, type RuntimeContext } from "./runtime-context.ts";
import { type RunJobOptions, runJob } from "./run-job.ts";
import { sweepNamespace } from "./sweep-namespace.ts";

// Two Paperclip instances share one namespace: each runtime context sees only its own
// instance's Jobs, so neither blocks, adopts nor sweeps the other's runs.
let alpha: RuntimeContext;
let beta: RuntimeContext;
let ns: Awaited<ReturnType<typeof createTestNamespace>>;
let fakeClaude: string;
const admin = adminClients();

beforeAll(async () => {
  ns = await createTestNamespace("rt-instances");
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(labEndpoints().kubeconfigPath);
  alpha = await createRuntimeContext(kubeConfig, { instanceId: "alpha" });
  beta = await createRuntimeContext(kubeConfig, { instanceId: "beta" });
  const dir = mkdtempSync(path.join(tmpdir(), "fake-claude-"));
  chmodSync(dir, 0o755);
  fakeClaude = path.join(dir, "fake-claude.sh");
  writeFileSync(
    fakeClaude,
    `#!/bin/sh
cat > /dev/null
if [ "$FAKE_MODE" = hang ]; then trap 'exit 143' TERM; echo '{"type":"system","subtype":"init","uuid":"u-init"}'; sleep 600 & wait; fi
echo '{"type":"result","subtype":"success","is_error":false,"result":"done","uuid":"u-result"}'
`,
  );
  chmodSync(fakeClaude, 0o755);
});
afterAll(async () => {
  await alpha?.close();
  await beta?.close();
  await ns?.remove();
  if (fakeClaude) rmSync(path.dirname(fakeClaude), { recursive: true, force: true });
});

function manifestsFor(instanceId: string, runId: string, agentId: string, mode: string): RunManifests {
  const { config } = requireAdapterConfig({ namespace: ns.name, image: "lab.local/busybox:1", env: { FAKE_MODE: mode } });
  const manifests = buildRunManifests({
    config,
    instanceId,
    run: { runId, agent: { id: agentId, companyId: "company-1", name: "Runner" }, runtime: null, context: { issueId: "issue-1" }, authToken: "jwt" },
  });
  const container = manifests.job.spec.template.spec.containers[0];
  container.args = [fakeClaude, ...container.args.slice(1)];
  return manifests;
}

function options(runtime: RuntimeContext, mode: string, agentId: string, signal: AbortSignal) {
  const runId = randomUUID();
  const lines: string[] = [];
  const opts: RunJobOptions = {
    runtime,
    manifests: manifestsFor(runtime.instanceId, runId, agentId, mode),
    run: { agentId, runId, taskId: "issue-1" },
    policy: { reattachOrphanedJobs: true, ownerStaleAfterMs: 300_000 },
    budgets: defaultPodBudgets,
    deadlineMs: 0,
    retainJob: false,
    signal,
    onLine: (line) => void lines.push(line),
    onStatus: () => {},
  };
  return { opts, lines, runId };
}

describe("two Paperclip instances in one namespace", () => {
  it("never block, adopt or sweep each other's Jobs of the same agent and task", async () => {
    const agentId = `agent-${randomUUID().slice(0, 8)}`;
    const stopAlpha = new AbortController();
    const first = options(alpha, "hang", agentId, stopAlpha.signal);
    const running = runJob(first.opts);
    await eventually("alpha's run to start", async () => (first.lines.length > 0 ? true : undefined), 60_000);

    // beta runs the same agent and task: alpha's live Job is not its business.
    const second = options(beta, "ok", agentId, new AbortController().signal);
    const outcome = await runJob(second.opts);
    expect(outcome).toMatchObject({ kind: "finished", job: { adopted: false }, container: { exitCode: 0 } });
    expect(second.lines.at(-1)).toContain('"type":"result"');

    // beta's sweep, even judging every owner dead and hours later, does not see alpha's Job or Secret.
    const sweep = await sweepNamespace(beta.client, ns.name, { delete: true, instanceId: "beta", now: Date.now() + 24 * 3600_000, ownerLastSeen: () => undefined });
    expect([...sweep.plan.jobs, ...sweep.plan.secrets, ...sweep.plan.unowned].map((item) => item.object.metadata?.name).filter((name) => name?.includes(first.runId.slice(0, 8)))).toEqual([]);
    const alphaJobs = await admin.batch.listNamespacedJob({ namespace: ns.name, labelSelector: `paperclip.io/run-id=${first.runId}` });
    expect(alphaJobs.items.map((job) => job.metadata?.labels?.["paperclip.io/instance"])).toEqual(["alpha"]);
    expect(alphaJobs.items[0]?.metadata?.deletionTimestamp).toBeUndefined();
    // alpha's own sweep does see it (and leaves it: its owner is alive).
    const own = await sweepNamespace(alpha.client, ns.name, { delete: false, instanceId: "alpha" });
    expect(own.plan.jobs).toEqual([]);

    stopAlpha.abort();
    expect(await running).toMatchObject({ kind: "finished", cancelled: { podsGone: true } });
    expect(await runLeftovers(ns.name, first.runId)).toEqual([]);
    expect(await runLeftovers(ns.name, second.runId)).toEqual([]);
  });

  it("refuses manifests built for another instance before touching the cluster", async () => {
    const { opts } = options(alpha, "ok", `agent-${randomUUID().slice(0, 8)}`, new AbortController().signal);
    const outcome = await runJob({ ...opts, runtime: beta });
    expect(outcome).toMatchObject({ kind: "not-launched", code: "k8s_config_invalid" });
    if (outcome.kind === "not-launched") expect(outcome.message).toContain('"beta"');
  });
});
