import { runEndEvents } from "../decisions/run-events.ts";
import { recordJobEvent } from "./record-job-event.ts";
import type { RunJobOptions, RunJobOutcome } from "./run-job.ts";

/** Writes the Events a finished run calls for on its Job (cancelled, timed out, deadline exceeded, cleanup failed). Never throws. */
export async function recordRunEndEvents(options: RunJobOptions, outcome: RunJobOutcome): Promise<void> {
  if (outcome.kind !== "finished") return;
  const events = runEndEvents({
    runId: options.run.runId,
    job: outcome.job,
    ...(outcome.cancelled ? { cancelled: outcome.cancelled } : {}),
    timedOut: outcome.timedOut,
    kubernetesDeadline: outcome.jobFailure?.deadlineExceeded === true || outcome.podFailure?.code === "timeout",
    deadlineMs: options.deadlineMs,
    cleanupFailed: outcome.cleanup === "failed",
  });
  for (const event of events) {
    await recordJobEvent({ client: options.runtime.client, job: outcome.job, event, reportingInstance: options.runtime.heartbeat.ownerId, log: options.runtime.log });
  }
}
