import { classifyJobStatus } from "../decisions/classify-job-status.ts";
import type { JobKnowledge } from "../decisions/settle-run.ts";
import type { JobLike } from "../kube-objects.ts";
import { KubeApiError } from "../kube/kube-api-error.ts";
import type { KubeClient } from "../kube/kube-client.ts";

export interface JobRef {
  namespace: string;
  name: string;
  uid: string;
}

/** What a Job object says, as knowledge of the Job `ref` names (another UID under the same name is not it). */
export function knowledgeOf(ref: JobRef, object: JobLike | undefined, source: "cache" | "fresh", at: number): JobKnowledge {
  if (!object || object.metadata?.uid !== ref.uid) return source === "fresh" ? { state: "gone" } : { state: "not-in-cache" };
  return { state: "present", verdict: classifyJobStatus(object), source, at };
}

/**
 * A fresh GET of the Job by name, matched by UID: what a run believes before an
 * irreversible step (settling as deleted, deleting, sweeping), never the watch cache alone.
 */
export async function readJobFresh(client: KubeClient, ref: JobRef, signal?: AbortSignal): Promise<JobLike | undefined> {
  try {
    const job = await client.request<JobLike>({ method: "GET", path: `/apis/batch/v1/namespaces/${ref.namespace}/jobs/${ref.name}`, ...(signal ? { signal } : {}) });
    return job.metadata?.uid === ref.uid ? job : undefined;
  } catch (error) {
    if (error instanceof KubeApiError && error.isNotFound) return undefined;
    throw error;
  }
}
