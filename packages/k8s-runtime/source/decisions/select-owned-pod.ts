import { type PodLike, toMillis } from "../kube-objects.ts";

/**
 * The pod that belongs to this Job: owned by the Job's UID (ownerReferences, or the
 * `controller-uid` labels the Job controller sets). Never "the first pod named after the
 * Job": after a re-run with the same name, a stale pod of the old Job can still be there.
 * With several owned pods (backoffLimit 0 makes that rare), the newest one wins.
 */
export function selectOwnedPod<P extends PodLike>(pods: readonly P[], jobUid: string): P | undefined {
  let newest: P | undefined;
  for (const pod of pods) {
    if (!isOwnedBy(pod, jobUid)) continue;
    if (newest === undefined || (toMillis(pod.metadata?.creationTimestamp) ?? 0) > (toMillis(newest.metadata?.creationTimestamp) ?? 0)) {
      newest = pod;
    }
  }
  return newest;
}

export function isOwnedBy(pod: PodLike, jobUid: string): boolean {
  const metadata = pod.metadata;
  if (metadata?.ownerReferences?.some((owner) => owner.kind === "Job" && owner.uid === jobUid)) return true;
  const labels = metadata?.labels ?? {};
  return labels["batch.kubernetes.io/controller-uid"] === jobUid || labels["controller-uid"] === jobUid;
}
