import { type JobRefForEvent, jobEventObject, type RunEvent } from "../decisions/run-events.ts";
import type { KubeClient } from "../kube/kube-client.ts";
import type { RuntimeLog } from "../log-fields.ts";

export interface RecordJobEventOptions {
  client: KubeClient;
  job: JobRefForEvent;
  event: RunEvent;
  /** Who wrote it: the adapter process's owner id. */
  reportingInstance: string;
  log: RuntimeLog;
  now?: () => Date;
}

/**
 * Writes one Event on a run's Job. Never throws and never retries for long: an Event is
 * for people, and a run must not fail because one could not be written (a Role without
 * `events create`, an API server under load). The failure is logged once instead.
 */
export async function recordJobEvent(options: RecordJobEventOptions): Promise<boolean> {
  const body = jobEventObject(options.job, options.event, { now: (options.now ?? (() => new Date()))(), reportingInstance: options.reportingInstance });
  try {
    await options.client.request({ method: "POST", path: `/api/v1/namespaces/${options.job.namespace}/events`, body, attempts: 2 });
    return true;
  } catch (error) {
    options.log(`could not record Event ${options.event.reason} on Job ${options.job.namespace}/${options.job.name} (grant "create events" in the Role to see it in kubectl describe): ${(error as Error).message}`, { level: "warn", job: `${options.job.namespace}/${options.job.name}` });
    return false;
  }
}
