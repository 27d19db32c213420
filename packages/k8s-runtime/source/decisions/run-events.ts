/**
 * The Kubernetes Events the adapter writes on a run's Job, so `kubectl describe job` and
 * every Event-reading dashboard tell what the adapter did to it. Pure: which Events a run's
 * end calls for, and the Event object; `run/record-job-event.ts` writes them.
 */

export type RunEventReason = "RunAdopted" | "RunCancelled" | "RunTimedOut" | "RunDeadlineExceeded" | "RunCleanupFailed";

export interface RunEvent {
  type: "Normal" | "Warning";
  reason: RunEventReason;
  message: string;
}

export interface JobRefForEvent {
  name: string;
  namespace: string;
  uid: string;
}

/** The facts of a finished run an Event can be about (a subset of `RunJobOutcome`). */
export interface RunEndFacts {
  runId: string;
  job: JobRefForEvent;
  cancelled?: { podsGone: boolean; jobMayStillRun?: boolean };
  timedOut: boolean;
  /** Kubernetes' own deadline (the Job's activeDeadlineSeconds or the pod's) ended the run, not the adapter's. */
  kubernetesDeadline: boolean;
  /** The adapter's own deadline (timeoutSec + graceSec) in ms, for the message. */
  deadlineMs: number;
  cleanupFailed: boolean;
}

/** Event messages are capped by the API server (1 KiB is what kubectl shows comfortably). */
const MAX_MESSAGE = 1024;

export function adoptedEvent(runId: string, why: "same-run" | "orphan-of-same-task"): RunEvent {
  const whose = why === "same-run" ? "its own Job, created before the adapter restarted" : "a Job left running by an earlier run of the same task";
  return { type: "Normal", reason: "RunAdopted", message: `run ${runId} adopted this Job (${whose}) instead of starting a new one` };
}

/** The Events a run's end calls for, in the order they happened: how it ended, then a failed cleanup. */
export function runEndEvents(facts: RunEndFacts): RunEvent[] {
  const events: RunEvent[] = [];
  const deleteHint = `kubectl delete job ${facts.job.name} -n ${facts.job.namespace}`;
  if (facts.cancelled) {
    const after = facts.cancelled.jobMayStillRun ? "the Job could not be deleted" : facts.cancelled.podsGone ? "Job deleted and its pods confirmed gone" : "Job deleted; its pods were still terminating";
    events.push({ type: "Normal", reason: "RunCancelled", message: `run ${facts.runId} was cancelled in Paperclip: ${after}` });
  } else if (facts.timedOut && facts.kubernetesDeadline) {
    events.push({ type: "Warning", reason: "RunDeadlineExceeded", message: `run ${facts.runId} exceeded the Job's activeDeadlineSeconds (timeoutSec): Kubernetes stopped it; raise timeoutSec if the work needs longer` });
  } else if (facts.timedOut) {
    events.push({ type: "Warning", reason: "RunTimedOut", message: `run ${facts.runId} did not finish within timeoutSec + graceSec (${Math.round(facts.deadlineMs / 1000)} s): the adapter deleted the Job; raise timeoutSec or graceSec if the work needs longer` });
  }
  if (facts.cleanupFailed) {
    events.push({ type: "Warning", reason: "RunCleanupFailed", message: `run ${facts.runId} could not delete this Job or its Secrets; the orphan sweep and ttlSecondsAfterFinished remove them later, or delete it now: ${deleteHint}` });
  }
  return events;
}

/**
 * A core/v1 Event about a Job. The legacy core API is used (not events.k8s.io) because it
 * is what `kubectl describe` and most dashboards read, and it needs no eventTime/action.
 */
export function jobEventObject(job: JobRefForEvent, event: RunEvent, options: { now: Date; reportingInstance: string }) {
  const at = options.now.toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { generateName: `${job.name}.`, namespace: job.namespace },
    involvedObject: { apiVersion: "batch/v1", kind: "Job", name: job.name, namespace: job.namespace, uid: job.uid },
    type: event.type,
    reason: event.reason,
    message: event.message.length > MAX_MESSAGE ? `${event.message.slice(0, MAX_MESSAGE - 1)}…` : event.message,
    source: { component: "claude-k8s" },
    reportingComponent: "claude-k8s",
    reportingInstance: options.reportingInstance,
    firstTimestamp: at,
    lastTimestamp: at,
    count: 1,
  };
}
