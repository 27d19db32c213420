import { AnnotationKey, LabelKey, toLabelValue } from "@claude-k8s/manifest";
import type { JobLike } from "../kube-objects.ts";
import { toMillis } from "../kube-objects.ts";
import { classifyJobStatus } from "./classify-job-status.ts";

/** Annotation naming the adapter process that launched (or last adopted) a Job. */
export const OWNER_ANNOTATION = "claude-k8s.io/owner";

export interface RunToAdmit {
  agentId: string;
  runId: string;
  taskId?: string;
  sessionId?: string;
}

export interface AdmissionPolicy {
  /** Adopt a still-running Job of the same agent, task and session whose owner is gone (upstream `reattachOrphanedJobs`). */
  reattachOrphanedJobs: boolean;
  /** How long an owner must have been silent before its Jobs count as orphans. Generous: a false orphan is a killed run. */
  ownerStaleAfterMs: number;
}

/**
 * When each adapter process was last seen alive (its heartbeat Lease), by owner id;
 * undefined when there is no record of it at all.
 */
export type OwnerLastSeen = (ownerId: string) => number | undefined;

export type Admission =
  /** No conflicting Job: launch ours. `sweep` lists orphans of other runs to delete first. */
  | { action: "proceed"; sweep: JobLike[] }
  /** A Job of this very run, or an orphan of the same task and session: stream it on instead of launching. */
  | { action: "adopt"; job: JobLike; why: "same-run" | "orphan-of-same-task"; sweep: JobLike[] }
  /** A live Job of another run of this agent: refuse, naming it. */
  | { action: "block"; job: JobLike; reason: BlockReason; message: string };

export type BlockReason = "live-run" | "same-run-live-owner" | "reattach-disabled" | "unowned";

/**
 * What to do about the Jobs already there for this agent. Pure: the runtime lists the
 * agent's Jobs (under the per-agent lock) and carries out the answer.
 *
 * - Finished or terminating Jobs never conflict (cleanup and TTL take care of them).
 * - A Job of this same run (Paperclip re-executing a run id) is adopted when its owner is
 *   gone, and blocks while another live process still streams it.
 * - A Job of another run whose owner is alive blocks: two runs of one agent never overlap.
 * - A running Job of another run without our owner mark (another adapter's) blocks, at any
 *   age: it is never swept or adopted.
 * - A Job whose owner has been silent longer than `ownerStaleAfterMs` is an orphan: adopted
 *   when it is the same task and session (and reattach is on), otherwise swept when it
 *   cannot be the continuation of this run; a Job of another task of this agent is never
 *   adopted into this one.
 */
export function decideAdmission(jobs: readonly JobLike[], run: RunToAdmit, policy: AdmissionPolicy, ownerLastSeen: OwnerLastSeen, now: number): Admission {
  const sweep: JobLike[] = [];
  let adopt: { job: JobLike; why: "same-run" | "orphan-of-same-task" } | undefined;
  const ownRunLabel = toLabelValue(run.runId);

  const candidates = jobs
    .filter((job) => isUnfinished(job))
    .sort((a, b) => (toMillis(b.metadata?.creationTimestamp) ?? 0) - (toMillis(a.metadata?.creationTimestamp) ?? 0));

  for (const job of candidates) {
    const name = job.metadata?.name ?? "(unnamed)";
    const owner = job.metadata?.annotations?.[OWNER_ANNOTATION];
    const lastSeen = owner ? ownerLastSeen(owner) : undefined;
    const ownerAlive = lastSeen !== undefined && now - lastSeen < policy.ownerStaleAfterMs;
    const jobRunId = job.metadata?.annotations?.[AnnotationKey.runId] ?? job.metadata?.labels?.[LabelKey.runId];
    const sameRun = jobRunId === run.runId || job.metadata?.labels?.[LabelKey.runId] === ownRunLabel;

    if (sameRun) {
      if (ownerAlive) return block(job, "same-run-live-owner", `Job ${name} of this run is still being followed by adapter process ${owner}`);
      adopt ??= { job, why: "same-run" };
      continue;
    }
    if (ownerAlive) {
      return block(job, "live-run", `Job ${name} of run ${jobRunId ?? "?"} is still running for this agent (followed by adapter process ${owner})`);
    }
    // No owner mark: not launched by claude-k8s (the public adapter's, during a migration). Never ours to delete or adopt.
    if (!owner) {
      return block(job, "unowned", `Job ${name} of run ${jobRunId ?? "?"} is running for this agent without a claude-k8s owner mark (another adapter started it); it is never deleted automatically: wait for it to finish, or delete it`);
    }
    // An orphan: its owner is gone.
    const jobTask = job.metadata?.annotations?.[AnnotationKey.taskId];
    const jobSession = job.metadata?.annotations?.[AnnotationKey.sessionId];
    const sameTask = jobTask !== undefined && run.taskId !== undefined && jobTask === run.taskId;
    const sessionsDiffer = jobSession !== undefined && run.sessionId !== undefined && jobSession !== run.sessionId;
    if (sameTask && !sessionsDiffer) {
      if (!policy.reattachOrphanedJobs) {
        return block(job, "reattach-disabled", `Job ${name} of run ${jobRunId ?? "?"} (same task) is still running and reattachOrphanedJobs is off; delete it or turn reattach on`);
      }
      adopt ??= { job, why: "orphan-of-same-task" };
      continue;
    }
    sweep.push(job);
  }

  return adopt ? { action: "adopt", job: adopt.job, why: adopt.why, sweep } : { action: "proceed", sweep };
}

export function isUnfinished(job: JobLike): boolean {
  if (job.metadata?.deletionTimestamp !== undefined) return false;
  const verdict = classifyJobStatus(job);
  return verdict.state === "active";
}

function block(job: JobLike, reason: BlockReason, message: string): Admission {
  return { action: "block", job, reason, message };
}
