import type { JobVerdict } from "./classify-job-status.ts";
import type { PodFailureCode, PodVerdict } from "./classify-pod-status.ts";

/**
 * What the run knows of its Job, by name and UID. The watch cache can lag behind the API
 * server (a Job just created may not be in it yet), so "not in the cache" is never taken
 * as "deleted": only a fresh GET can say the Job is gone.
 */
export type JobKnowledge =
  /** In the watch cache, or a fresh GET newer than anything the cache said since; `at` is when it was read. */
  | { state: "present"; verdict: JobVerdict; source: "cache" | "fresh"; at: number }
  /** Not in the watch cache: not seen yet (watch lag), or reported deleted. A fresh GET must say which. */
  | { state: "not-in-cache" }
  /** A fresh GET found no Job of this name and UID. */
  | { state: "gone" };

export interface RunObservation {
  now: number;
  /** When the adapter's own deadline for the run (timeoutSec + graceSec) runs out; undefined = none. */
  deadlineAt: number | undefined;
  aborted: boolean;
  job: JobKnowledge;
  /** The verdict on the Job's pod, once the pod watch has shown it. */
  pod: PodVerdict | undefined;
}

export interface ContainerExit {
  exitCode: number;
  signal?: number;
  reason: string;
  message: string;
  oomKilled: boolean;
}

/** Why a run stopped being followed: what the outcome and the cleanup are built from. */
export type RunSettlement =
  | { why: "container-ended"; exit: ContainerExit }
  | { why: "pod-failed"; code: PodFailureCode | "timeout"; reason: string; message: string }
  | { why: "job-ended"; verdict: Extract<JobVerdict, { state: "succeeded" | "failed" }> }
  | { why: "job-deleted" }
  | { why: "cancelled" }
  | { why: "deadline" };

export type SettleDecision =
  /** Nothing decided yet: wait for the next watch event, or until `requeueAt` (epoch ms) at the latest. */
  | { action: "continue"; requeueAt?: number }
  /** The cache says the Job is missing or being deleted: read it fresh, by name, before believing it. */
  | { action: "verify-job" }
  | { action: "settle"; settlement: RunSettlement };

/** How recent a fresh GET must be to rule out a deletion behind a failed container exit. */
export const EXIT_VERIFY_MS = 5_000;

/** How long a fresh GET that contradicts the cache is believed before it is read again. */
export const JOB_REVERIFY_MS = 30_000;

/**
 * One step of the run's reconcile: from everything observed now, settle the run (and why)
 * or keep following it (and when to look again without any event). Pure; the loop in
 * `run/reconcile-run.ts` feeds it watch state and carries out the answer.
 *
 * Order: a cancel wins; then what the container and pod say (they carry the exit code);
 * then the Job's own end; then the Job's disappearance, confirmed fresh; the adapter's
 * deadline last, so an end that is already known is reported as such.
 */
export function decideSettlement(observation: RunObservation): SettleDecision {
  const { now, deadlineAt, job, pod } = observation;
  if (observation.aborted) return settle({ why: "cancelled" });

  if (pod?.kind === "terminated") {
    // Deleting a Job makes the garbage collector stop its pod, and the pod's end can reach us
    // before the Job's delete does: a failed exit is then the deletion's doing. Unless the
    // Job itself already shows the end, read it fresh once before reporting the exit.
    if (pod.exitCode !== 0) {
      const deleted = job.state === "gone" || (job.state === "present" && job.source === "fresh" && job.verdict.state === "deleting");
      if (deleted) return settle({ why: "job-deleted" });
      const endShown = job.state === "present" && (job.verdict.state === "failed" || job.verdict.state === "succeeded");
      const freshNow = job.state === "present" && job.source === "fresh" && now - job.at < EXIT_VERIFY_MS;
      if (!endShown && !freshNow) return { action: "verify-job" };
    }
    return settle({
      why: "container-ended",
      exit: { exitCode: pod.exitCode, ...(pod.signal !== undefined ? { signal: pod.signal } : {}), reason: pod.reason, message: pod.message, oomKilled: pod.oomKilled },
    });
  }
  if (pod?.kind === "failed") return settle({ why: "pod-failed", code: pod.code, reason: pod.reason, message: pod.message });
  if (pod?.kind === "pod-failed") return settle({ why: "pod-failed", code: pod.deadlineExceeded ? "timeout" : (pod.code ?? "k8s_pod_evicted"), reason: pod.reason, message: pod.message });

  if (job.state === "present") {
    const verdict = job.verdict;
    if (verdict.state === "failed" || (verdict.state === "succeeded" && verdict.final)) return settle({ why: "job-ended", verdict });
    if (verdict.state === "deleting") {
      if (job.source === "cache") return { action: "verify-job" };
      return settle({ why: "job-deleted" });
    }
  }
  if (job.state === "gone") return settle({ why: "job-deleted" });
  if (job.state === "not-in-cache") return { action: "verify-job" };
  // A fresh read stands in for a cache that disagrees with it (lagging, or still showing a delete); not for ever.
  const reverifyAt = job.source === "fresh" ? job.at + JOB_REVERIFY_MS : undefined;
  if (reverifyAt !== undefined && now >= reverifyAt) return { action: "verify-job" };

  if (deadlineAt !== undefined && now >= deadlineAt) return settle({ why: "deadline" });
  const requeueAt = Math.min(...[deadlineAt, reverifyAt].filter((at): at is number => at !== undefined));
  return Number.isFinite(requeueAt) ? { action: "continue", requeueAt } : { action: "continue" };
}

function settle(settlement: RunSettlement): SettleDecision {
  return { action: "settle", settlement };
}
