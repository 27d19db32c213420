import type { ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from "./types.ts";

// Pod status the way the kubelet computes it from its containers (getPhase and the
// condition generators of pkg/kubelet/status), as a pure function of what the sim knows.

export type ContainerRuntimeState = {
  name: string;
  state: ContainerState;
  lastState?: ContainerState;
  restartCount: number;
  /** Set once the container was created (then the status carries imageID and containerID). */
  containerID?: string;
};

export type PodRuntimeState = {
  /** When the sim first took the pod on (status.startTime; activeDeadlineSeconds counts from it). */
  startTime: string;
  /** Volumes are set up, containers may start (condition PodReadyToStartContainers). */
  sandboxReady: boolean;
  initContainers: ContainerRuntimeState[];
  containers: ContainerRuntimeState[];
  /** The node itself failed the pod (DeadlineExceeded, Evicted). */
  failure?: { reason: string; message: string };
  /** The node evicted the pod: condition DisruptionTarget (what Jobs' podFailurePolicy matches). */
  disruption?: { reason: string; message: string };
};

const managedConditions = new Set(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]);

export type NodeAddresses = { hostIP: string; podIP: string };

export function computePodStatus(pod: Pod, runtime: PodRuntimeState, now: string, node: NodeAddresses): PodStatus {
  const phase = podPhase(pod, runtime);
  const terminal = phase === "Succeeded" || phase === "Failed";
  const incompleteInit = runtime.initContainers.filter((c) => !(c.state.terminated && c.state.terminated.exitCode === 0));
  const unready = runtime.containers.filter((c) => !c.state.running);
  const previous = pod.status?.conditions ?? [];
  const condition = (type: string, ok: boolean, reason?: string, message?: string): PodCondition => {
    const status = ok ? "True" : "False";
    const before = previous.find((c) => c.type === type);
    const lastTransitionTime = before && before.status === status ? (before.lastTransitionTime ?? now) : now;
    const c: PodCondition = { type, status, lastProbeTime: null, lastTransitionTime };
    if (!ok && reason) c.reason = reason;
    if (!ok && message) c.message = message;
    return c;
  };
  const names = (list: Array<{ name: string }>) => `[${list.map((c) => c.name).join(" ")}]`;
  const ready = unready.length === 0 && !terminal;
  const notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
  const notReadyMessage = terminal ? undefined : `containers with unready status: ${names(unready)}`;
  const scheduled = previous.find((c) => c.type === "PodScheduled") ?? condition("PodScheduled", true);

  const status: PodStatus = {
    phase,
    conditions: [
      condition("PodReadyToStartContainers", runtime.sandboxReady && !terminal),
      condition(
        "Initialized",
        incompleteInit.length === 0,
        "ContainersNotInitialized",
        `containers with incomplete status: ${names(incompleteInit)}`,
      ),
      condition("Ready", ready, notReadyReason, notReadyMessage),
      condition("ContainersReady", ready, notReadyReason, notReadyMessage),
      scheduled,
      ...(runtime.disruption
        ? [{ ...condition("DisruptionTarget", true), ...runtime.disruption }]
        : []),
      // Conditions others own (DisruptionTarget set by the control plane, readiness gates) are kept as they are.
      ...previous.filter((c) => !managedConditions.has(c.type) && !(runtime.disruption && c.type === "DisruptionTarget")),
    ],
    hostIP: node.hostIP,
    hostIPs: [{ ip: node.hostIP }],
    podIP: node.podIP,
    podIPs: [{ ip: node.podIP }],
    startTime: runtime.startTime,
    containerStatuses: runtime.containers.map((c) => containerStatus(pod, c, false)),
  };
  if (runtime.initContainers.length > 0) {
    status.initContainerStatuses = runtime.initContainers.map((c) => containerStatus(pod, c, true));
  }
  if (runtime.failure) {
    status.reason = runtime.failure.reason;
    status.message = runtime.failure.message;
  }
  return status;
}

function containerStatus(pod: Pod, c: ContainerRuntimeState, init: boolean): ContainerStatus {
  const spec = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((s) => s.name === c.name);
  const image = spec?.image ?? "";
  const status: ContainerStatus = {
    name: c.name,
    image,
    imageID: c.containerID ? `sim://${image}` : "",
    ready: init ? c.state.terminated?.exitCode === 0 : Boolean(c.state.running),
    started: Boolean(c.state.running),
    restartCount: c.restartCount,
    state: c.state,
    lastState: c.lastState ?? {},
  };
  if (c.containerID) status.containerID = c.containerID;
  return status;
}

/** The kubelet's getPhase for the pod's restartPolicy. */
export function podPhase(pod: Pod, runtime: PodRuntimeState): NonNullable<PodStatus["phase"]> {
  if (runtime.failure) return "Failed";
  const restartPolicy = pod.spec.restartPolicy ?? "Always";
  for (const init of runtime.initContainers) {
    const exit = init.state.terminated?.exitCode;
    if (exit === 0) continue;
    if (exit !== undefined && restartPolicy === "Never") return "Failed";
    return "Pending";
  }
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of runtime.containers) {
    if (c.state.running) running++;
    else if (c.state.terminated) {
      stopped++;
      if (c.state.terminated.exitCode === 0) succeeded++;
    } else if (c.lastState?.terminated) {
      stopped++; // waiting to restart after an exit
    } else waiting++;
  }
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped === 0) return "Pending";
  if (restartPolicy === "Always") return "Running";
  if (stopped === succeeded) return "Succeeded";
  return restartPolicy === "Never" ? "Failed" : "Running";
}
