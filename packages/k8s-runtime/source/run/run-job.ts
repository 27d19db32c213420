import { ensureAgentVolume } from "../volumes/ensure-agent-volume.ts";
import { agentJobSelector, LabelKey, type RunManifests, toLabelValue } from "@claude-k8s/manifest";
import { type AdmissionPolicy, decideAdmission, isUnfinished, OWNER_ANNOTATION, type RunToAdmit } from "../decisions/decide-admission.ts";
import type { PodBudgets, PodFailureCode } from "../decisions/classify-pod-status.ts";
import { AgentLockBusyError, acquireAgentLock } from "../exclusivity/agent-lock.ts";
import { type OwnerLiveness, ownerLastSeenFrom } from "../exclusivity/owner-heartbeat.ts";
import type { JobLike } from "../kube-objects.ts";
import { KubeApiError, KubeUnreachableError } from "../kube/kube-api-error.ts";
import { type FollowLogReport, followContainerLog } from "../logs/follow-container-log.ts";
import { setLongTimeout } from "../kube/long-timeout.ts";
import { reconcileRun } from "./reconcile-run.ts";
import { adoptedEvent } from "../decisions/run-events.ts";
import { recordJobEvent } from "./record-job-event.ts";
import { recordRunEndEvents } from "./run-end-events.ts";
import { runtimeMetrics } from "../metrics/runtime-metrics.ts";
import { Wakeup } from "./wakeup.ts";
import { checkRunDurations } from "./check-run-durations.ts";
import { type CleanupOutcome, cleanupRun } from "./cleanup-run.ts";
import { type CreatedJob, launchRun } from "./launch-run.ts";
import { acquireNamespaceWatches } from "./namespace-watches.ts";
import { type PodObservation, PodMonitor } from "./pod-monitor.ts";
import { RunError } from "./run-errors.ts";
import { watchReady } from "./watch-ready.ts";
import type { RuntimeContext } from "./runtime-context.ts";

export interface RunJobOptions {
  runtime: RuntimeContext;
  manifests: RunManifests;
  run: RunToAdmit;
  policy: AdmissionPolicy;
  budgets: PodBudgets;
  /** The adapter's own deadline for the whole run, in ms (timeoutSec + graceSec); 0 = none. */
  deadlineMs: number;
  retainJob: boolean;
  /** Aborts the run: the Job is deleted and the pods confirmed gone before this returns. */
  signal: AbortSignal;
  /** Called once, right before the Job is created (Paperclip's onCancellationReady). */
  beforeLaunch?: () => void | Promise<void>;
  onLaunched?: (job: LaunchedJob) => void | Promise<void>;
  /** Every line of the container log, once, in order. */
  onLine: (line: string) => void | Promise<void>;
  /** Progress for people: scheduling, pulling, events, adoption. */
  onStatus: (text: string) => void | Promise<void>;
  /** How long to keep reading the log after the container ended, before settling without its end. */
  logDrainMs?: number;
}

export interface LaunchedJob {
  name: string;
  uid: string;
  namespace: string;
  adopted: boolean;
}

import type { ContainerExit } from "../decisions/settle-run.ts";

export type { ContainerExit };

/** A Job being followed, and the Job object as last read from the API server (fresher than a lagging watch cache). */
interface Launch {
  job: LaunchedJob;
  lastRead: JobLike | undefined;
}

export type RunJobOutcome =
  | { kind: "not-launched"; code: string; message: string }
  | {
      kind: "finished";
      job: LaunchedJob;
      container?: ContainerExit;
      /** The pod never ran the container, or the pod ended under it (eviction, pod deadline). */
      podFailure?: { code: PodFailureCode | "k8s_pod_evicted" | "timeout"; reason: string; message: string };
      jobFailure?: { reason: string; message: string; deadlineExceeded: boolean };
      deletedExternally: boolean;
      timedOut: boolean;
      /** `jobMayStillRun`: the Job could not be deleted (cleanup failed): it may still be running. */
      cancelled?: { acknowledgedAt: string; podsGone: boolean; jobMayStillRun?: boolean };
      log: FollowLogReport;
      cleanup: CleanupOutcome | "failed";
      /** The last pod observation, for error messages (container state). */
      lastPod?: PodObservation;
      /** The pod's Kubernetes Events, oldest first (at most 20): what a failure message quotes. */
      events: string[];
    };

/**
 * One run, from admission to cleanup. Event-driven: it reacts to the shared Job and pod
 * watches and to the log follower, never polls. Completion comes from Job and pod status,
 * never from a log stream ending.
 */
export async function runJob(options: RunJobOptions): Promise<RunJobOutcome> {
  const { runtime, manifests, run } = options;
  const namespace = manifests.names.namespace;
  try {
    checkRunDurations(options);
  } catch (error) {
    if (error instanceof RunError) return { kind: "not-launched", code: error.code, message: error.message };
    throw error;
  }
  // The Job must carry this context's instance label: its watches would never see it otherwise.
  const instance = manifests.job.metadata.labels[LabelKey.instance];
  if (instance !== toLabelValue(runtime.instanceId)) {
    return { kind: "not-launched", code: "k8s_config_invalid", message: `the Job's ${LabelKey.instance} label is ${JSON.stringify(instance)}, but this runtime works for instance ${JSON.stringify(runtime.instanceId)}: build the manifests with instanceId ${JSON.stringify(runtime.instanceId)}` };
  }
  const watches = acquireNamespaceWatches(runtime.hub, namespace, runtime.instanceId);
  const owners = ownerLastSeenFrom(runtime.hub, namespace);
  let launched: Launch | undefined;
  runtimeMetrics.runStarted();
  try {
    await runtime.heartbeat.ensure(namespace);
    // Nothing is decided or launched on watches that cannot see: their first list must succeed.
    await watchReady(owners.watch, `the adapter owner Leases in ${namespace}`, 30_000, options.signal);
    await watchReady(watches.jobs, `Jobs in ${namespace}`, 30_000, options.signal);
    await watchReady(watches.pods, `pods in ${namespace}`, 30_000, options.signal);
    const admitted = await runtime.mutex.withLock(`${namespace}/${run.agentId}`, () => admitAndLaunch(options, owners), { signal: options.signal });
    if ("kind" in admitted) return admitted;
    launched = admitted;
    // An abort that came while launching is the reconcile's first answer: the Job is deleted, the run cancelled.
    const outcome = await follow(options, launched, watches);
    await recordRunEndEvents(options, outcome);
    return outcome;
  } catch (error) {
    // Aborted before any Job of this run exists (watch start, mutex, launch lock, admission): nothing to undo.
    if (options.signal.aborted && !launched) return { kind: "not-launched", code: "cancelled", message: `cancelled before Job ${namespace}/${manifests.names.job} was created; nothing was launched` };
    if (error instanceof RunError) return { kind: "not-launched", code: error.code, message: error.message };
    if (error instanceof AgentLockBusyError) return { kind: "not-launched", code: error.code, message: error.message };
    if (error instanceof KubeApiError) {
      const code = error.isForbidden ? "k8s_forbidden" : error.status === 401 ? "k8s_unauthorized" : "k8s_api_error";
      const hint = error.isForbidden ? " (grant the verbs of the Role in the adapter's README)" : error.status === 401 ? " (the kubeconfig's credentials were refused)" : "";
      return { kind: "not-launched", code, message: `${error.message}${hint}` };
    }
    if (error instanceof KubeUnreachableError) return { kind: "not-launched", code: "k8s_api_unreachable", message: error.message };
    throw error;
  } finally {
    runtimeMetrics.runEnded();
    owners.release();
    watches.release();
  }
}

async function admitAndLaunch(options: RunJobOptions, owners: OwnerLiveness): Promise<Launch | { kind: "not-launched"; code: string; message: string }> {
  const { runtime, manifests, run } = options;
  const namespace = manifests.names.namespace;
  const lock = await acquireAgentLock({ client: runtime.client, namespace, agentId: run.agentId, holder: `${run.runId}@${runtime.heartbeat.ownerId}`, instanceId: runtime.instanceId, signal: options.signal, log: runtime.log });
  try {
    // A fresh list under the lock: a watch cache could lag behind another replica's create.
    const existing = await runtime.client
      .request<{ items?: JobLike[] }>({ method: "GET", path: `/apis/batch/v1/namespaces/${namespace}/jobs`, query: { labelSelector: agentJobSelector(run.agentId, runtime.instanceId) }, signal: options.signal })
      .catch((error: unknown) => {
        throw new RunError("k8s_concurrency_guard_unreachable", `could not list this agent's Jobs in ${namespace} to check for a running one: ${(error as Error).message}`, { cause: error });
      });
    // The owners of the agent's running Jobs, read fresh too (rarely any: a run usually finds none).
    const otherOwners = (existing.items ?? []).filter(isUnfinished).map((job) => job.metadata?.annotations?.[OWNER_ANNOTATION]).filter((owner): owner is string => owner !== undefined && owner !== runtime.heartbeat.ownerId);
    if (otherOwners.length > 0) {
      await owners.refresh(runtime.client, otherOwners, options.signal).catch((error: unknown) => {
        throw new RunError("k8s_concurrency_guard_unreachable", `could not read the owner Leases of this agent's running Jobs in ${namespace}: ${(error as Error).message}`, { cause: error });
      });
    }
    const admission = decideAdmission(existing.items ?? [], run, options.policy, owners.lastSeen, Date.now());
    if (admission.action === "block") {
      return { kind: "not-launched", code: "k8s_concurrent_run_blocked", message: `${admission.message}; this run was not started` };
    }
    for (const orphan of admission.sweep) await sweepOrphan(options, orphan);
    // Past this point the cluster gets a Job to follow (created or claimed): an abort must come before, or be followed through.
    options.signal.throwIfAborted();
    if (admission.action === "adopt") {
      const job = admission.job as CreatedJob;
      const lastRead = await claim(options, job);
      await options.onStatus(`adopting Job ${job.metadata.name} (${admission.why === "same-run" ? "this run's own Job" : "left running by an earlier run of this task"}) instead of starting a new one`);
      void recordJobEvent({ client: runtime.client, job: { name: job.metadata.name, namespace, uid: job.metadata.uid }, event: adoptedEvent(run.runId, admission.why), reportingInstance: runtime.heartbeat.ownerId, log: runtime.log });
      return { job: { name: job.metadata.name, uid: job.metadata.uid, namespace, adopted: true }, lastRead };
    }

    // Agent-volume mode: the agent's own claim exists and can be mounted before the Job does (a RunError otherwise).
    if (manifests.agentVolume) {
      await ensureAgentVolume({ client: runtime.client, claim: manifests.agentVolume, agentId: run.agentId, budgetMs: options.budgets.scheduleTimeoutMs, signal: options.signal, log: (line) => void options.onStatus(line) });
    }
    await options.beforeLaunch?.();
    options.signal.throwIfAborted();
    // The Job create is never cut off (it may have made the Job): it completes, and the follow deletes the Job if aborted.
    const result = await launchRun({ client: runtime.client, manifests, ownerId: runtime.heartbeat.ownerId, signal: options.signal, log: (line) => void options.onStatus(line) });
    if (result.kind === "exists") {
      // Same deterministic name: verify it really is this run's Job before following it.
      const labels = result.job.metadata.annotations ?? {};
      if (labels["paperclip.io/run-id"] !== run.runId) {
        throw new RunError("k8s_job_create_failed", `Job ${namespace}/${result.job.metadata.name} already exists and belongs to run ${labels["paperclip.io/run-id"] ?? "?"}, not ${run.runId}`);
      }
      const lastRead = await claim(options, result.job);
      await options.onStatus(`Job ${result.job.metadata.name} already existed for this run: following it`);
      void recordJobEvent({ client: runtime.client, job: { name: result.job.metadata.name, namespace, uid: result.job.metadata.uid }, event: adoptedEvent(run.runId, "same-run"), reportingInstance: runtime.heartbeat.ownerId, log: runtime.log });
      return { job: { name: result.job.metadata.name, uid: result.job.metadata.uid, namespace, adopted: true }, lastRead };
    }
    const launched = { name: result.job.metadata.name, uid: result.job.metadata.uid, namespace, adopted: false };
    await options.onStatus(`created Job ${namespace}/${launched.name}`);
    return { job: launched, lastRead: result.job };
  } finally {
    await lock.release().catch((error: unknown) => runtime.log(`could not release the launch lock of agent ${run.agentId}: ${(error as Error).message}`, { level: "warn", runId: run.runId, agentId: run.agentId }));
  }
}

/**
 * Record this process as the Job's owner, so admission elsewhere sees it alive. Not
 * abortable: once claimed, an abort is carried out by deleting the Job.
 */
async function claim(options: RunJobOptions, job: CreatedJob): Promise<JobLike> {
  return await options.runtime.client.request<JobLike>({
    method: "PATCH",
    path: `/apis/batch/v1/namespaces/${job.metadata.namespace}/jobs/${job.metadata.name}`,
    body: { metadata: { annotations: { [OWNER_ANNOTATION]: options.runtime.heartbeat.ownerId } } },
    contentType: "application/merge-patch+json",
  });
}

async function sweepOrphan(options: RunJobOptions, job: JobLike): Promise<void> {
  const name = job.metadata?.name;
  const namespace = job.metadata?.namespace ?? options.manifests.names.namespace;
  if (!name) return;
  await options.onStatus(`deleting orphaned Job ${name} (its adapter process is gone and it cannot continue this run)`);
  await options.runtime.client
    .request({ method: "DELETE", path: `/apis/batch/v1/namespaces/${namespace}/jobs/${name}`, body: { apiVersion: "v1", kind: "DeleteOptions", propagationPolicy: "Background", preconditions: { uid: job.metadata?.uid, resourceVersion: job.metadata?.resourceVersion } } })
    .catch((error: unknown) => {
      if (!(error instanceof KubeApiError && (error.isNotFound || error.isConflict))) throw error;
    });
}

async function follow(options: RunJobOptions, launch: Launch, watches: ReturnType<typeof acquireNamespaceWatches>): Promise<RunJobOutcome> {
  const { runtime, manifests } = options;
  const { job } = launch;
  const container = manifests.names.container;
  await options.onLaunched?.(job);
  // For the startup and result-latency histograms (an adopted Job's create is not this run's).
  const followedAt = Date.now();
  let containerEndedAt: number | undefined;
  if (job.adopted) runtimeMetrics.runAdopted();

  const wakeup = new Wakeup();
  let logFollowing: Promise<FollowLogReport> | undefined;
  const logAbort = new AbortController();
  let containerEnded = false;
  let containerStarted = false;
  const terminationWaiters = new Set<() => void>();
  const emptyLog: FollowLogReport = { lines: 0, connections: 0, oversized: 0, end: "aborted" };

  let announceLogStart: () => void = () => {};
  const logStarted = new Promise<void>((resolve) => {
    announceLogStart = resolve;
  });
  const startLog = () => {
    if (logFollowing) return;
    announceLogStart();
    logFollowing = followContainerLog({
      client: runtime.client,
      namespace: job.namespace,
      pod: monitor.current?.pod.metadata?.name ?? "",
      container,
      onLine: options.onLine,
      containerTerminated: () => containerEnded,
      untilTerminated: (ms) =>
        new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            terminationWaiters.delete(done);
            resolve();
          };
          const timer = setTimeout(done, ms);
          timer.unref();
          terminationWaiters.add(done);
        }),
      signal: logAbort.signal,
      log: (line) => void options.onStatus(line),
    });
  };

  // The pod's changes are told to people, start the log follower and ring the reconcile loop.
  const monitor = new PodMonitor({
    pods: watches.pods,
    jobUid: job.uid,
    containerName: container,
    budgets: options.budgets,
    onChange: (observation) => {
      const verdict = observation.verdict;
      if (verdict.kind === "waiting") void options.onStatus(`pod ${observation.pod.metadata?.name}: ${verdict.stage} (${verdict.reason}${verdict.message ? `: ${verdict.message}` : ""})`);
      if (verdict.kind === "running") {
        if (!containerStarted && !job.adopted) runtimeMetrics.jobStarted((Date.now() - followedAt) / 1000);
        containerStarted = true;
        void options.onStatus(`pod ${observation.pod.metadata?.name}: running`);
        startLog();
      }
      if (verdict.kind === "terminated") {
        containerEnded = true;
        containerEndedAt ??= Date.now();
        for (const wake of [...terminationWaiters]) wake();
        startLog();
      }
      wakeup.wake();
    },
  });
  monitor.start();

  // The pod's Events go to the run log while it starts (scheduling, pulling, mounts,
  // back-off); afterwards only warnings. A failure message quotes the latest ones.
  const events: string[] = [];
  const seenEvents = new Map<string, number>();
  const unsubscribeEvents = watches.events.subscribe(({ type, object }) => {
    if (type === "DELETED") return;
    const podUid = monitor.current?.pod.metadata?.uid;
    const podName = monitor.current?.pod.metadata?.name;
    const involved = object.involvedObject;
    // Before the pod watch has shown our pod, its Events can still be told by name: a Job's pods are `<job>-<suffix>`.
    if (!involved || !(podUid ? involved.uid === podUid : involved.name?.startsWith(`${job.name}-`))) return;
    const key = object.metadata?.uid ?? object.metadata?.name ?? "";
    const count = object.count ?? 1;
    if ((seenEvents.get(key) ?? 0) >= count) return;
    seenEvents.set(key, count);
    const line = `${object.type === "Warning" ? "warning" : "event"} ${object.reason ?? ""}: ${object.message ?? ""}${count > 1 ? ` (x${count})` : ""}`;
    events.push(line);
    if (events.length > 20) events.shift();
    if (!containerStarted || object.type === "Warning") void options.onStatus(`pod ${podName ?? ""}: ${line}`);
  });

  const first = await reconcileRun({
    client: runtime.client,
    job,
    jobs: watches.jobs,
    ...(launch.lastRead ? { lastRead: launch.lastRead } : {}),
    pod: () => monitor.current?.verdict,
    wakeup,
    deadlineAt: options.deadlineMs > 0 ? Date.now() + options.deadlineMs : undefined,
    signal: options.signal,
    log: runtime.log,
  });
  unsubscribeEvents();

  // The Job watch can report the end before the pod watch has shown the pod at all: give the
  // pod a moment to appear, so the transcript of a fast run is still read.
  if (!logFollowing && (first.why === "job-ended" || first.why === "container-ended")) {
    await Promise.race([logStarted, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
  }
  // Let the log reach its end after the container ended; bound the wait so a broken log API cannot hold the run.
  let log = emptyLog;
  if (logFollowing) {
    if (first.why === "container-ended" || first.why === "job-ended") {
      const drain = setLongTimeout(() => logAbort.abort(), options.logDrainMs ?? 30_000);
      log = await logFollowing;
      drain.clear();
    } else {
      logAbort.abort();
      log = await logFollowing;
    }
  }
  monitor.stop();

  const lastPod = monitor.current;
  const exit = lastPod?.verdict.kind === "terminated" ? { exitCode: lastPod.verdict.exitCode, reason: lastPod.verdict.reason, message: lastPod.verdict.message, oomKilled: lastPod.verdict.oomKilled } : first.why === "container-ended" ? first.exit : undefined;
  const jobVerdict = first.why === "job-ended" ? first.verdict : undefined;

  let cancelled: { acknowledgedAt: string; podsGone: boolean; jobMayStillRun?: boolean } | undefined;
  let cleanup: CleanupOutcome | "failed";
  const secretNames = manifests.secrets.map((secret) => secret.metadata.name);
  const keep = options.retainJob && first.why !== "cancelled" && first.why !== "deadline";
  try {
    cleanup = await cleanupRun({ client: runtime.client, namespace: job.namespace, jobName: job.name, jobUid: job.uid, secretNames, jobs: watches.jobs, retainJob: keep });
  } catch (error) {
    runtime.log(`cleanup of Job ${job.name} failed: ${(error as Error).message}`, { level: "error", runId: options.run.runId, agentId: options.run.agentId, job: `${job.namespace}/${job.name}` });
    cleanup = "failed";
  }
  if (containerEndedAt !== undefined && first.why !== "cancelled") runtimeMetrics.resultReady((Date.now() - containerEndedAt) / 1000);
  if (first.why === "cancelled") cancelled = { acknowledgedAt: new Date().toISOString(), podsGone: cleanup === "gone" || cleanup === "already-gone", ...(cleanup === "failed" ? { jobMayStillRun: true } : {}) };

  return {
    kind: "finished",
    job,
    ...(exit ? { container: exit } : {}),
    ...(first.why === "pod-failed" ? { podFailure: { code: first.code, reason: first.reason, message: first.message } } : {}),
    ...(jobVerdict?.state === "failed" ? { jobFailure: { reason: jobVerdict.reason, message: jobVerdict.message, deadlineExceeded: jobVerdict.deadlineExceeded } } : {}),
    deletedExternally: first.why === "job-deleted",
    timedOut: first.why === "deadline" || (jobVerdict?.state === "failed" && jobVerdict.deadlineExceeded) || (first.why === "pod-failed" && first.code === "timeout"),
    ...(cancelled ? { cancelled } : {}),
    log,
    cleanup,
    ...(lastPod ? { lastPod } : {}),
    events,
  };
}
