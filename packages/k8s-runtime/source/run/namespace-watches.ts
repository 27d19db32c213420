import type { JobLike, PodLike } from "../kube-objects.ts";
import type { WatchHub, WatchLease } from "../kube/watch-hub.ts";

/** Every Job and pod this adapter makes carries these labels (set by @claude-k8s/manifest). */
export const MANAGED_SELECTOR = "app.kubernetes.io/managed-by=paperclip,paperclip.io/adapter-type=claude_k8s";

export interface NamespaceWatches {
  jobs: WatchLease<JobLike>["watch"];
  pods: WatchLease<PodLike>["watch"];
  release(): void;
}

/**
 * The two watches a run needs, shared by every run in the namespace: all our Jobs and all
 * our pods (the Job controller copies the pod template's labels onto its pods).
 */
export function acquireNamespaceWatches(hub: WatchHub, namespace: string): NamespaceWatches {
  const jobs = hub.acquire<JobLike>({ path: `/apis/batch/v1/namespaces/${namespace}/jobs`, labelSelector: MANAGED_SELECTOR });
  const pods = hub.acquire<PodLike>({ path: `/api/v1/namespaces/${namespace}/pods`, labelSelector: MANAGED_SELECTOR });
  return {
    jobs: jobs.watch,
    pods: pods.watch,
    release() {
      jobs.release();
      pods.release();
    },
  };
}
