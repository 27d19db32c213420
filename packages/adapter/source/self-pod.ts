// The server's own pod is read by k8s-runtime (the package that owns every cluster call).
export { describeSelfPod, selfPodInfo } from "@claude-k8s/k8s-runtime";
