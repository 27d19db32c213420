import { AnnotationKey, CONTAINER_NAME, LabelKey, toLabelValue } from "@claude-k8s/manifest";
import { isUnfinished, OWNER_ANNOTATION } from "../decisions/decide-admission.ts";
import { selectOwnedPod } from "../decisions/select-owned-pod.ts";
import { ownerLastSeenFrom, ownerLeaseName } from "../exclusivity/owner-heartbeat.ts";
import type { Lease } from "../exclusivity/lease-time.ts";
import { type JobLike, toMillis } from "../kube-objects.ts";
import { KubeApiError } from "../kube/kube-api-error.ts";
import { acquireNamespaceWatches } from "./namespace-watches.ts";
import type { RuntimeContext } from "./runtime-context.ts";
import { watchReady } from "./watch-ready.ts";

/** A Job of this agent and task that finished while nobody followed it: what is left of its result. */
export interface FinishedRun {
  jobName: string;
  jobUid: string;
  namespace: string;
  /** The run that launched it (annotation). */
  runId: string | undefined;
  /** The session it resumed (annotation), if any. */
  resumedSessionId: string | undefined;
  /** The main container's exit code and termination message (the result tap writes claude's result event there). */
  exitCode: number | undefined;
  message: string;
  completedAt: string | undefined;
}

/**
 * The Jobs of this agent and task that finished while their adapter process was down: a
 * live process reads its run's end and cleans up itself, so a finished Job still there whose
 * owner is gone (its owner Lease given back or missing on a fresh read, or silent longer than
 * `ownerStaleAfterMs`) holds a result nobody reported. Read only; `discardFinishedRun`
 * deletes one once its result is taken.
 */
export async function findFinishedRuns(options: {
  runtime: RuntimeContext;
  namespace: string;
  agentId: string;
  taskId: string;
  ownerStaleAfterMs: number;
  signal?: AbortSignal;
}): Promise<FinishedRun[]> {
  const { runtime, namespace, signal } = options;
  // The shared watches the run acquires next anyway: finding nothing (the usual case) costs no request.
  const watches = acquireNamespaceWatches(runtime.hub, namespace, runtime.instanceId);
  try {
    await watchReady(watches.jobs, `Jobs in ${namespace}`, 30_000, signal);
    const agentLabel = toLabelValue(options.agentId);
    const candidates = watches.jobs.list().filter((job) => {
      const owner = job.metadata?.annotations?.[OWNER_ANNOTATION];
      return (
        job.metadata?.labels?.[LabelKey.agentId] === agentLabel &&
        !isUnfinished(job) &&
        !job.metadata?.deletionTimestamp &&
        owner !== undefined &&
        owner !== runtime.heartbeat.ownerId &&
        job.metadata?.annotations?.[AnnotationKey.taskId] === options.taskId
      );
    });
    if (candidates.length === 0) return [];
    await watchReady(watches.pods, `pods in ${namespace}`, 30_000, signal);
    const found: FinishedRun[] = [];
    for (const job of candidates) {
      const owner = job.metadata?.annotations?.[OWNER_ANNOTATION] ?? "";
      if (await ownerMayBeAlive(runtime, namespace, owner, options.ownerStaleAfterMs, signal)) continue;
      const pod = selectOwnedPod(watches.pods.list(), job.metadata?.uid ?? "");
      const terminated = pod?.status?.containerStatuses?.find((status) => status.name === CONTAINER_NAME)?.state?.terminated;
      found.push({
        jobName: job.metadata?.name ?? "",
        jobUid: job.metadata?.uid ?? "",
        namespace,
        runId: job.metadata?.annotations?.[AnnotationKey.runId],
        resumedSessionId: job.metadata?.annotations?.[AnnotationKey.sessionId],
        exitCode: terminated?.exitCode,
        message: terminated?.message ?? "",
        completedAt: completedAt(job),
      });
    }
    return found;
  } finally {
    watches.release();
  }
}

/** Deletes a finished run's Job (its Secrets and pod follow); one already gone or replaced is left be. */
export async function discardFinishedRun(runtime: RuntimeContext, run: FinishedRun, signal?: AbortSignal): Promise<void> {
  await runtime.client
    .request({ method: "DELETE", path: `/apis/batch/v1/namespaces/${run.namespace}/jobs/${run.jobName}`, body: { apiVersion: "v1", kind: "DeleteOptions", propagationPolicy: "Background", preconditions: { uid: run.jobUid } }, ...(signal ? { signal } : {}) })
    .catch((error: unknown) => {
      if (!(error instanceof KubeApiError && (error.isNotFound || error.isConflict))) throw error;
    });
}

/**
 * A fresh read of the owner's Lease. Missing, or held by someone else: the owner is gone (a
 * live process re-creates its Lease at every renewal, and its run would have collected the
 * Job already). Present: gone only once its renewals stopped for `staleAfterMs`, timed by
 * the runtime's own watch of the Leases (never another machine's clock).
 */
async function ownerMayBeAlive(runtime: RuntimeContext, namespace: string, owner: string, staleAfterMs: number, signal: AbortSignal | undefined): Promise<boolean> {
  const lease = await runtime.client
    .request<Lease>({ method: "GET", path: `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/${ownerLeaseName(owner)}`, ...(signal ? { signal } : {}) })
    .catch((error: unknown) => {
      if (error instanceof KubeApiError && error.isNotFound) return undefined;
      throw error;
    });
  if (lease?.spec?.holderIdentity !== owner) return false;
  const owners = ownerLastSeenFrom(runtime.hub, namespace);
  try {
    await owners.refresh(runtime.client, [owner], signal);
    const seen = owners.lastSeen(owner);
    return seen !== undefined && Date.now() - seen < staleAfterMs;
  } finally {
    owners.release();
  }
}

function completedAt(job: JobLike): string | undefined {
  const at = toMillis(job.status?.completionTime);
  return at === undefined ? undefined : new Date(at).toISOString();
}
