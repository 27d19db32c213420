import type { JobLike } from "../kube-objects.ts";
import { KubeApiError } from "../kube/kube-api-error.ts";
import type { KubeClient } from "../kube/kube-client.ts";
import type { SharedWatch } from "../kube/shared-watch.ts";
import { readJobFresh } from "./read-job.ts";
import { Wakeup } from "./wakeup.ts";

export interface CleanupOptions {
  client: KubeClient;
  namespace: string;
  jobName: string;
  jobUid: string;
  secretNames: readonly string[];
  /** The namespace's shared Job watch: how we learn the Job (and so its pods) is gone. */
  jobs: SharedWatch<JobLike>;
  /** Keep the Job (and its finished pod) for inspection; the Secrets go regardless. */
  retainJob?: boolean;
  /** How long to wait for the pods to be gone before leaving the rest to the garbage collector and TTL. */
  waitMs?: number;
}

export type CleanupOutcome = "gone" | "retained" | "still-terminating" | "already-gone";

/**
 * Pods, then Job, then Secrets. A Foreground delete makes the API server remove the Job's
 * pods before the Job itself, so "the Job is gone" means "no pod of it is left"; only then
 * do the Secrets go (a pod still starting must not meet a missing Secret). The
 * propagationPolicy is always explicit: the batch/v1 default orphans the pods.
 */
export async function cleanupRun(options: CleanupOptions): Promise<CleanupOutcome> {
  const { client, namespace, jobName, jobUid } = options;
  let outcome: CleanupOutcome = "gone";
  if (options.retainJob) {
    outcome = "retained";
  } else {
    try {
      await client.request({
        method: "DELETE",
        path: `/apis/batch/v1/namespaces/${namespace}/jobs/${jobName}`,
        body: { apiVersion: "v1", kind: "DeleteOptions", propagationPolicy: "Foreground", preconditions: { uid: jobUid } },
      });
    } catch (error) {
      if (!(error instanceof KubeApiError && (error.isNotFound || error.isConflict))) throw error;
      outcome = "already-gone";
      // Someone else deleted the Job, perhaps orphaning its pods: take them down ourselves.
      await deleteOwnedPods(client, namespace, jobUid);
    }
    const gone = await waitForJobGone({ client, jobs: options.jobs, namespace, name: jobName, uid: jobUid, waitMs: options.waitMs ?? 90_000 });
    if (!gone) outcome = "still-terminating";
  }
  if (outcome !== "still-terminating") {
    await Promise.all(
      options.secretNames.map((name) =>
        client.request({ method: "DELETE", path: `/api/v1/namespaces/${namespace}/secrets/${name}` }).catch((error: unknown) => {
          if (!(error instanceof KubeApiError && error.isNotFound)) throw error;
        }),
      ),
    );
  }
  return outcome;
}

async function deleteOwnedPods(client: KubeClient, namespace: string, jobUid: string): Promise<void> {
  const pods = await client
    .request<{ items?: { metadata?: { name?: string; uid?: string } }[] }>({ method: "GET", path: `/api/v1/namespaces/${namespace}/pods`, query: { labelSelector: `batch.kubernetes.io/controller-uid=${jobUid}` } })
    .catch(() => ({ items: [] }));
  for (const pod of pods.items ?? []) {
    if (!pod.metadata?.name) continue;
    await client
      .request({ method: "DELETE", path: `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}`, body: { apiVersion: "v1", kind: "DeleteOptions", ...(pod.metadata.uid ? { preconditions: { uid: pod.metadata.uid } } : {}) } })
      .catch((error: unknown) => {
        if (!(error instanceof KubeApiError && (error.isNotFound || error.isConflict))) throw error;
      });
  }
}

/** How often a Job the watch has not shown is read again while waiting for it to go. */
const UNSEEN_REREAD_MS = 2000;

/**
 * True once no Job with this name and UID is left (false when `waitMs` runs out first). The
 * watch's DELETED event says so; a Job the watch has never shown (it lags) is read fresh
 * instead, never taken as gone because the cache does not have it.
 */
export async function waitForJobGone(options: { client: KubeClient; jobs: SharedWatch<JobLike>; namespace: string; name: string; uid: string; waitMs: number }): Promise<boolean> {
  const { client, jobs, namespace, name, uid } = options;
  const ref = { namespace, name, uid };
  const giveUpAt = Date.now() + options.waitMs;
  const wakeup = new Wakeup();
  let deletedSeen = false;
  const unsubscribe = jobs.subscribe((event) => {
    if (event.object.metadata?.uid !== uid) return;
    if (event.type === "DELETED") deletedSeen = true;
    wakeup.wake();
  });
  try {
    for (;;) {
      if (deletedSeen) return true;
      const cached = jobs.get(name, namespace)?.metadata?.uid === uid;
      const left = giveUpAt - Date.now();
      if (!cached) {
        const stillThere = await readJobFresh(client, ref).then(
          (job) => job !== undefined,
          () => true,
        );
        if (!stillThere) return true;
      }
      if (left <= 0) return false;
      await wakeup.wait(cached ? left : Math.min(left, UNSEEN_REREAD_MS));
    }
  } finally {
    unsubscribe();
  }
}
