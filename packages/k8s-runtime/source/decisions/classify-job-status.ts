import { findCondition, type JobLike } from "../kube-objects.ts";

/**
 * What a Job's status says about the run. Since Kubernetes 1.31 the Job controller first
 * sets `SuccessCriteriaMet` / `FailureTarget` (pods may still be terminating) and only
 * then `Complete` / `Failed` with the same reason: `final` tells the two apart, so the
 * runtime can react at once and still wait for the pods to be gone before it cleans up.
 */
export type JobVerdict =
  | { state: "active" }
  | { state: "deleting" }
  | { state: "succeeded"; final: boolean }
  | { state: "failed"; final: boolean; reason: string; message: string; deadlineExceeded: boolean };

export function classifyJobStatus(job: JobLike): JobVerdict {
  const conditions = job.status?.conditions;
  const isTrue = (type: string) => findCondition(conditions, type)?.status === "True";

  if (isTrue("Complete")) return { state: "succeeded", final: true };
  const failed = findCondition(conditions, "Failed");
  if (failed?.status === "True") return failure(failed, true);
  if (isTrue("SuccessCriteriaMet")) return { state: "succeeded", final: false };
  const failureTarget = findCondition(conditions, "FailureTarget");
  if (failureTarget?.status === "True") return failure(failureTarget, false);
  if (job.metadata?.deletionTimestamp !== undefined) return { state: "deleting" };
  return { state: "active" };
}

function failure(condition: { reason?: string; message?: string }, final: boolean): JobVerdict {
  const reason = condition.reason ?? "Failed";
  return {
    state: "failed",
    final,
    reason,
    message: condition.message ?? "",
    deadlineExceeded: reason === "DeadlineExceeded",
  };
}
