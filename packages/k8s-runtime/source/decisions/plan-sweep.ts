import { toMillis, type JobLike, type PodLike } from "../kube-objects.ts";
import { isUnfinished, OWNER_ANNOTATION, type OwnerLastSeen } from "./decide-admission.ts";
import { classifyJobStatus } from "./classify-job-status.ts";

export interface SecretLike {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    creationTimestamp?: Date | string;
    labels?: Record<string, string>;
    ownerReferences?: { kind?: string; name?: string; uid?: string }[];
  };
}

export interface SweepPolicy {
  /** An unfinished Job whose owner has been silent this long is abandoned (generous: a later run of its task may still adopt it). */
  abandonedAfterMs: number;
  /** Nothing younger than this is ever touched: a launch in progress owns it. */
  minAgeMs: number;
  /** Finished Jobs past their TTL by this much are removed (for clusters without a TTL controller). */
  ttlSlackMs: number;
}

export const defaultSweepPolicy: SweepPolicy = { abandonedAfterMs: 30 * 60_000, minAgeMs: 15 * 60_000, ttlSlackMs: 10 * 60_000 };

export interface SweepItem<T> {
  object: T;
  reason: string;
}

export interface SweepPlan {
  jobs: SweepItem<JobLike>[];
  pods: SweepItem<PodLike>[];
  secrets: SweepItem<SecretLike>[];
  /**
   * Running Jobs with our labels but no owner mark (another adapter's, such as the public
   * one's during a migration): never deleted automatically, only reported.
   */
  unowned: SweepItem<JobLike>[];
}

/**
 * What the sweep may delete of what this adapter left in a namespace. Pure, and
 * conservative by construction: nothing younger than `minAgeMs`, no Job whose owner is
 * alive, no running Job without our owner mark, no Secret or pod that belongs to a Job
 * still there. Proven by property tests that
 * it never selects anything of a live run.
 */
export function planSweep(input: { jobs: readonly JobLike[]; pods: readonly PodLike[]; secrets: readonly SecretLike[]; ownerLastSeen: OwnerLastSeen; now: number; policy?: SweepPolicy }): SweepPlan {
  const policy = input.policy ?? defaultSweepPolicy;
  const { now } = input;
  const oldEnough = (created: Date | string | undefined) => {
    const at = toMillis(created);
    return at !== undefined && now - at >= policy.minAgeMs;
  };
  const plan: SweepPlan = { jobs: [], pods: [], secrets: [], unowned: [] };
  const remainingJobUids = new Set<string>();
  const remainingJobNames = new Set<string>();

  for (const job of input.jobs) {
    if (isUnfinished(job) && !job.metadata?.annotations?.[OWNER_ANNOTATION]) {
      plan.unowned.push({ object: job, reason: "running with claude-k8s labels but no owner mark (another adapter's?): left alone; delete it yourself if it is abandoned" });
    }
    const decision = jobDecision(job, input.ownerLastSeen, now, policy, oldEnough);
    if (decision) plan.jobs.push({ object: job, reason: decision });
    else {
      if (job.metadata?.uid) remainingJobUids.add(job.metadata.uid);
      if (job.metadata?.name) remainingJobNames.add(job.metadata.name);
    }
  }
  const sweptJobUids = new Set(plan.jobs.map((item) => item.object.metadata?.uid).filter((uid): uid is string => uid !== undefined));

  for (const pod of input.pods) {
    if (pod.metadata?.deletionTimestamp !== undefined || !oldEnough(pod.metadata?.creationTimestamp)) continue;
    const owners = (pod.metadata?.ownerReferences ?? []).filter((owner) => owner.kind === "Job");
    const ownerUid = owners[0]?.uid;
    // A pod goes with its Job (propagation); only a pod whose Job is gone is ours to delete.
    if (ownerUid !== undefined && (remainingJobUids.has(ownerUid) || sweptJobUids.has(ownerUid))) continue;
    if (ownerUid === undefined && remainingJobNames.has(pod.metadata?.labels?.["job-name"] ?? "")) continue;
    plan.pods.push({ object: pod, reason: "its Job is gone (orphaned pod)" });
  }

  for (const secret of input.secrets) {
    if (!oldEnough(secret.metadata?.creationTimestamp)) continue;
    const owner = secret.metadata?.ownerReferences?.find((reference) => reference.kind === "Job");
    if (owner?.uid !== undefined) {
      // The garbage collector removes it with its Job, unless that Job is staying.
      if (sweptJobUids.has(owner.uid) || remainingJobUids.has(owner.uid)) continue;
      plan.secrets.push({ object: secret, reason: `its Job ${owner.name ?? owner.uid} is gone` });
      continue;
    }
    // Never given an ownerReference (the launcher died in between): only if no Job of its run remains.
    const runId = secret.metadata?.labels?.["paperclip.io/run-id"];
    const runHasJob = input.jobs.some((job) => job.metadata?.labels?.["paperclip.io/run-id"] === runId && !sweptJobUids.has(job.metadata?.uid ?? ""));
    if (!runHasJob) plan.secrets.push({ object: secret, reason: "no Job of its run exists and it has no owner" });
  }
  return plan;
}

function jobDecision(job: JobLike, ownerLastSeen: OwnerLastSeen, now: number, policy: SweepPolicy, oldEnough: (created: Date | string | undefined) => boolean): string | undefined {
  if (job.metadata?.deletionTimestamp !== undefined || !oldEnough(job.metadata?.creationTimestamp)) return undefined;
  if (isUnfinished(job)) {
    const owner = job.metadata?.annotations?.[OWNER_ANNOTATION];
    // Without our owner mark it is not ours to judge (reported as unowned instead).
    if (!owner) return undefined;
    const seen = ownerLastSeen(owner);
    const silentFor = seen === undefined ? now - (toMillis(job.metadata?.creationTimestamp) ?? now) : now - seen;
    if (silentFor < policy.abandonedAfterMs) return undefined;
    return `still running, but its adapter process ${owner} has been gone for ${Math.round(silentFor / 60_000)} min`;
  }
  const verdict = classifyJobStatus(job);
  if (verdict.state !== "succeeded" && verdict.state !== "failed") return undefined;
  const finishedAt = toMillis(job.status?.completionTime) ?? latestConditionTime(job);
  const ttlSeconds = job.spec?.ttlSecondsAfterFinished;
  if (finishedAt === undefined || ttlSeconds === undefined) return undefined;
  if (now - finishedAt < ttlSeconds * 1000 + policy.ttlSlackMs) return undefined;
  return `finished ${Math.round((now - finishedAt) / 60_000)} min ago and outlived its ttlSecondsAfterFinished (${ttlSeconds} s)`;
}

function latestConditionTime(job: JobLike): number | undefined {
  const times = (job.status?.conditions ?? []).map((condition) => toMillis(condition.lastTransitionTime)).filter((time): time is number => time !== undefined);
  return times.length > 0 ? Math.max(...times) : undefined;
}
