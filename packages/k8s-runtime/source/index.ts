export { classifyJobStatus, type JobVerdict } from "./decisions/classify-job-status.ts";
export {
  classifyPodStatus,
  defaultPodBudgets,
  noteWaitingReasons,
  type PodBudgets,
  type PodClassificationInput,
  type PodFailureCode,
  type PodVerdict,
} from "./decisions/classify-pod-status.ts";
export { isOwnedBy, selectOwnedPod } from "./decisions/select-owned-pod.ts";
export type { ContainerStatus, JobLike, ObjectMeta, PodLike } from "./kube-objects.ts";
