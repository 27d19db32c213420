import { managedSelector } from "@claude-k8s/manifest";
import type { JobLike, PodLike } from "../kube-objects.ts";
import type { WatchHub, WatchLease } from "../kube/watch-hub.ts";

/** Every Job and pod this adapter makes carries these labels (set by @claude-k8s/manifest); `managedSelector(instanceId)` adds the instance. */
export const MANAGED_SELECTOR = "app.kubernetes.io/managed-by=paperclip,paperclip.io/adapter-type=claude_k8s";

/** The fields of a core/v1 Event the run log shows. */
export interface EventLike {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; uid?: string };
  involvedObject?: { kind?: string; name?: string; uid?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
}

export interface NamespaceWatches {
  jobs: WatchLease<JobLike>["watch"];
  pods: WatchLease<PodLike>["watch"];
  /** Events about pods (scheduling, pulling, mounts, back-off), for the run log. */
  events: WatchLease<EventLike>["watch"];
  release(): void;
}

/**
 * The watches a run needs, shared by every run in the namespace: all our Jobs, all our pods
 * (the Job controller copies the pod template's labels onto its pods) and pod Events.
 */
export function acquireNamespaceWatches(hub: WatchHub, namespace: string, instanceId?: string): NamespaceWatches {
  const selector = managedSelector(instanceId);
  const jobs = hub.acquire<JobLike>({ path: `/apis/batch/v1/namespaces/${namespace}/jobs`, labelSelector: selector });
  const pods = hub.acquire<PodLike>({ path: `/api/v1/namespaces/${namespace}/pods`, labelSelector: selector });
  const events = hub.acquire<EventLike>({ path: `/api/v1/namespaces/${namespace}/events`, fieldSelector: "involvedObject.kind=Pod" });
  return {
    jobs: jobs.watch,
    pods: pods.watch,
    events: events.watch,
    release() {
      jobs.release();
      pods.release();
      events.release();
    },
  };
}
