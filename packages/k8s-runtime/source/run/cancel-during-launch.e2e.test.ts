import { randomUUID } from "node:crypto";
import { KubeConfig } from "@kubernetes/client-node";
import { buildRunManifests, type RunManifests, requireAdapterConfig } from "@claude-k8s/manifest";
import { eventually, faultProxy, labEndpoints, runLeftovers } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { defaultPodBudgets } from "../decisions/classify-pod-status.ts";
import { agentLockName } from "../exclusivity/agent-lock.ts";
import { type Lease, microTime } from "../exclusivity/lease-time.ts";
import { ownerLastSeenFrom, ownerLeaseName } from "../exclusivity/owner-heartbeat.ts";
import { acquireNamespaceWatches } from "./namespace-watches.ts";
import { useLabNamespace } from "../test-utils/lab-namespace.ts";
import { launchRun } from "./launch-run.ts";
import { createRuntimeContext, type RuntimeContext } from "./runtime-context.ts";
import { type RunJobOptions, runJob } from "./run-job.ts";

// An abort at each step of a launch: the run is `cancelled`, never `adapter_failed` or a
// create failure, and whatever Job exists by then is deleted; nothing is left behind.
const ns = useLabNamespace("rt-cancel");
const proxy = faultProxy();
let runtime: RuntimeContext;

async function newRuntime(): Promise<RuntimeContext> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(labEndpoints().proxiedKubeconfigPath);
  return createRuntimeContext(kubeConfig);
}

let held: { release(): void } | undefined;
beforeAll(async () => {
  runtime = await newRuntime();
  // The shared runtime's watches of the namespace are up before the tests (and stay): a run reaches its mutex at once.
  const watches = acquireNamespaceWatches(runtime.hub, ns.name);
  const owners = ownerLastSeenFrom(runtime.hub, ns.name);
  await Promise.all([watches.jobs.synced(), watches.pods.synced(), owners.synced]);
  held = {
    release() {
      watches.release();
      owners.release();
    },
  };
});
afterAll(async () => {
  held?.release();
  await runtime?.close();
});
afterEach(async () => {
  await proxy.clearFaults();
});

function manifestsFor(runId: string, agentId: string): RunManifests {
  const { config } = requireAdapterConfig({ namespace: ns.name, image: "lab.local/busybox:1" });
  const manifests = buildRunManifests({ config, run: { runId, agent: { id: agentId, companyId: "company-1", name: "Runner" }, runtime: null, context: { issueId: "issue-1" }, authToken: "jwt" } });
  // Runs until killed (PID 1 needs its own TERM handler).
  manifests.job.spec.template.spec.containers[0]!.command = ["sh", "-c", "trap 'exit 143' TERM; sleep 600 & wait"];
  manifests.job.spec.template.spec.containers[0]!.args = [];
  return manifests;
}

function options(controller: AbortController, overrides: Partial<RunJobOptions> = {}) {
  const runId = randomUUID();
  const agentId = `agent-${runId.slice(0, 8)}`;
  const opts: RunJobOptions = {
    runtime,
    manifests: manifestsFor(runId, agentId),
    run: { agentId, runId, taskId: "issue-1" },
    policy: { reattachOrphanedJobs: true, ownerStaleAfterMs: 300_000 },
    budgets: defaultPodBudgets,
    deadlineMs: 0,
    retainJob: false,
    signal: controller.signal,
    onLine: () => {},
    onStatus: () => {},
    ...overrides,
  };
  return { opts, runId, agentId };
}

const requestsSoFar = async (key: string) => (await proxy.stats()).requests[key] ?? 0;
const cancelledBeforeLaunch = { kind: "not-launched", code: "cancelled" };

describe("cancel during launch", () => {
  it("while the watches start: cancelled, nothing launched", async () => {
    const fresh = await newRuntime();
    try {
      await proxy.addLatency({ ms: 5000, match: { verb: "list", namespace: ns.name } });
      const controller = new AbortController();
      const { opts, runId } = options(controller, { runtime: fresh });
      const before = await requestsSoFar("list leases.coordination.k8s.io");
      const running = runJob(opts);
      await eventually("the first list of the owner Leases under way", async () => ((await requestsSoFar("list leases.coordination.k8s.io")) > before ? true : undefined));
      controller.abort();
      expect(await running).toMatchObject(cancelledBeforeLaunch);
      expect(await runLeftovers(ns.name, runId)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it("while waiting for the in-process mutex: cancelled, nothing launched", async () => {
    const controller = new AbortController();
    const { opts, runId, agentId } = options(controller);
    let release!: () => void;
    const held = runtime.mutex.withLock(`${ns.name}/${agentId}`, () => new Promise<void>((resolve) => (release = resolve)));
    const running = runJob(opts);
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    expect(await running).toMatchObject(cancelledBeforeLaunch);
    release();
    await held;
    expect(await runLeftovers(ns.name, runId)).toEqual([]);
  });

  it("while waiting for the launch lock another process holds: cancelled, the lock left to its holder", async () => {
    const controller = new AbortController();
    const { opts, runId, agentId } = options(controller);
    const leaseName = agentLockName(agentId);
    const leases = `/apis/coordination.k8s.io/v1/namespaces/${ns.name}/leases`;
    await runtime.client.request({ method: "POST", path: leases, body: { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: leaseName }, spec: { holderIdentity: "someone-else", leaseDurationSeconds: 600, renewTime: microTime(Date.now()) } } });
    const before = await requestsSoFar("get leases.coordination.k8s.io");
    const running = runJob(opts);
    await eventually("the run reading the held lock", async () => ((await requestsSoFar("get leases.coordination.k8s.io")) > before ? true : undefined));
    controller.abort();
    expect(await running).toMatchObject(cancelledBeforeLaunch);
    const lease = await runtime.client.request<Lease>({ method: "GET", path: `${leases}/${leaseName}` });
    expect(lease.spec?.holderIdentity).toBe("someone-else");
    expect(await runLeftovers(ns.name, runId)).toEqual([]);
  });

  it("while the Job create is in flight: cancelled, and the Job (if made) deleted with its Secret", async () => {
    const controller = new AbortController();
    await proxy.addLatency({ ms: 3000, match: { verb: "create", resource: "jobs", namespace: ns.name } });
    const before = await requestsSoFar("create jobs.batch");
    const { opts, runId } = options(controller);
    const running = runJob(opts);
    await eventually("the Job create under way", async () => ((await requestsSoFar("create jobs.batch")) > before ? true : undefined));
    controller.abort();
    const outcome = await running;
    expect(outcome.kind === "finished" ? outcome.cancelled : outcome).toMatchObject(outcome.kind === "finished" ? { podsGone: true } : cancelledBeforeLaunch);
    expect(outcome).not.toMatchObject({ code: "k8s_job_create_failed" });
    await eventually("no leftovers", async () => ((await runLeftovers(ns.name, runId)).length === 0 ? true : undefined), 60_000);
  });

  it("while claiming an adopted Job: cancelled, and the adopted Job deleted", async () => {
    const controller = new AbortController();
    const { opts, runId } = options(controller);
    // This run's Job, left by an adapter process that died an hour ago (its Lease never renewed since): the run adopts it.
    await runtime.client.request({ method: "POST", path: `/apis/coordination.k8s.io/v1/namespaces/${ns.name}/leases`, body: { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: ownerLeaseName("gone-process"), labels: { "app.kubernetes.io/managed-by": "paperclip", "app.kubernetes.io/component": "adapter-owner" } }, spec: { holderIdentity: "gone-process", leaseDurationSeconds: 120, renewTime: microTime(Date.now() - 3600_000) } } });
    const left = await launchRun({ client: runtime.client, manifests: opts.manifests, ownerId: "gone-process" });
    await proxy.addLatency({ ms: 3000, match: { verb: "patch", resource: "jobs", namespace: ns.name } });
    const before = await requestsSoFar("patch jobs.batch");
    const running = runJob(opts);
    await eventually("the claim under way", async () => ((await requestsSoFar("patch jobs.batch")) > before ? true : undefined));
    controller.abort();
    const outcome = await running;
    expect(outcome).toMatchObject({ kind: "finished", job: { uid: left.job.metadata.uid, adopted: true }, cancelled: { podsGone: true } });
    await eventually("no leftovers", async () => ((await runLeftovers(ns.name, runId)).length === 0 ? true : undefined), 60_000);
    // What the run did to the Job is on it as Events, which outlive it: adopted, then cancelled.
    const reasons = await eventually("the run's Events on the Job", async () => {
      const list = await runtime.client.request<{ items?: { reason?: string; source?: { component?: string } }[] }>({ method: "GET", path: `/api/v1/namespaces/${ns.name}/events`, query: { fieldSelector: `involvedObject.uid=${left.job.metadata.uid}` } });
      const ours = (list.items ?? []).filter((event) => event.source?.component === "claude-k8s").map((event) => event.reason);
      return ours.length >= 2 ? ours : undefined;
    });
    expect(reasons.sort()).toEqual(["RunAdopted", "RunCancelled"]);
  });
});
