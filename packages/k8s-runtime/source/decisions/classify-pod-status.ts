import { type ContainerStatus, findCondition, type PodLike, toMillis } from "../kube-objects.ts";

/** Why a pod can never run our container, as the adapter's error codes. */
export type PodFailureCode =
  | "k8s_pod_unschedulable"
  | "k8s_image_pull_failed"
  | "k8s_container_config_error"
  | "k8s_init_container_failed"
  | "k8s_pod_start_timeout"
  | "k8s_pod_evicted";

export type PodVerdict =
  /** Not there yet; `deadlineAt` (epoch ms) is when this stage's budget runs out, if it has one. */
  | { kind: "waiting"; stage: "scheduling" | "starting"; reason: string; message: string; deadlineAt?: number }
  | { kind: "running"; startedAt?: number }
  /** The main container ended: the run's own outcome decides what it means. */
  | { kind: "terminated"; exitCode: number; signal?: number; reason: string; message: string; oomKilled: boolean }
  /** The pod ended without the main container ending on its own (eviction, pod deadline). */
  | { kind: "pod-failed"; reason: string; message: string; deadlineExceeded: boolean; code?: "k8s_pod_evicted" }
  /** Hopeless: it will not start. */
  | { kind: "failed"; code: PodFailureCode; reason: string; message: string };

export interface PodBudgets {
  /** From pod creation to `PodScheduled=True`; 0 = no limit. `Unschedulable` waits this long (an autoscaler may add a node). */
  scheduleTimeoutMs: number;
  /** From scheduling to the main container running (image pull included); 0 = no limit. */
  startTimeoutMs: number;
  /** How long `ImagePullBackOff` may last before the run fails (a registry hiccup heals; a wrong tag does not). */
  imagePullBackOffGraceMs: number;
  /** How long `CreateContainerConfigError` / `CreateContainerError` may last (a Secret created a moment late heals). */
  containerConfigErrorGraceMs: number;
}

export const defaultPodBudgets: PodBudgets = {
  scheduleTimeoutMs: 120_000,
  startTimeoutMs: 600_000,
  imagePullBackOffGraceMs: 60_000,
  containerConfigErrorGraceMs: 30_000,
};

export interface PodClassificationInput {
  pod: PodLike;
  /** The container that runs claude. */
  containerName: string;
  now: number;
  budgets: PodBudgets;
  /** When each `container/reason` waiting state was first seen (see `noteWaitingReasons`). */
  firstSeen: ReadonlyMap<string, number>;
}

/** Waiting reasons that are hopeless at once (no grace): the reference cannot be pulled, ever. */
const IMMEDIATELY_HOPELESS = new Set(["InvalidImageName", "ErrImageNeverPull"]);
const IMAGE_PULL_BACKOFF = new Set(["ImagePullBackOff"]);
const CONFIG_ERRORS = new Set(["CreateContainerConfigError", "CreateContainerError", "RunContainerError"]);

/**
 * Reads one pod status and says what it means for the run. Pure: the caller feeds every
 * watch event and acts on the answer (fail fast, keep waiting, start following logs).
 */
export function classifyPodStatus({ pod, containerName, now, budgets, firstSeen }: PodClassificationInput): PodVerdict {
  const status = pod.status ?? {};
  const main = status.containerStatuses?.find((container) => container.name === containerName);

  // The main container's own end comes first: it carries the exit code and the termination message.
  const terminated = main?.state?.terminated;
  if (terminated) {
    return {
      kind: "terminated",
      exitCode: terminated.exitCode,
      ...(terminated.signal !== undefined ? { signal: terminated.signal } : {}),
      reason: terminated.reason ?? (terminated.exitCode === 0 ? "Completed" : "Error"),
      message: terminated.message ?? "",
      oomKilled: terminated.reason === "OOMKilled",
    };
  }

  if (status.phase === "Failed" || status.phase === "Succeeded") {
    // An init container that failed is why the main container never ran: say so, not "evicted".
    const failedInit = failedInitContainer(status.initContainerStatuses);
    if (failedInit) return failedInit;
    const reason = status.reason ?? status.phase;
    return {
      kind: "pod-failed",
      reason,
      message: status.message ?? `pod ended in phase ${status.phase} before container ${containerName} reported an exit`,
      deadlineExceeded: reason === "DeadlineExceeded",
      ...(reason === "Evicted" ? { code: "k8s_pod_evicted" as const } : {}),
    };
  }

  if (main?.state?.running) {
    const startedAt = toMillis(main.state.running.startedAt);
    return { kind: "running", ...(startedAt !== undefined ? { startedAt } : {}) };
  }

  const scheduled = findCondition(status.conditions, "PodScheduled");
  if (scheduled?.status !== "True") {
    const createdAt = toMillis(pod.metadata?.creationTimestamp) ?? now;
    const deadlineAt = budgets.scheduleTimeoutMs > 0 ? createdAt + budgets.scheduleTimeoutMs : undefined;
    const reason = scheduled?.reason ?? "Pending";
    const message = scheduled?.message ?? "waiting for the scheduler to place the pod";
    if (deadlineAt !== undefined && now >= deadlineAt) {
      return {
        kind: "failed",
        code: "k8s_pod_unschedulable",
        reason,
        message: `pod not scheduled within ${seconds(budgets.scheduleTimeoutMs)}: ${message}`,
      };
    }
    return { kind: "waiting", stage: "scheduling", reason, message, ...(deadlineAt !== undefined ? { deadlineAt } : {}) };
  }

  // Scheduled: init containers first, then the main container.
  const failedInit = failedInitContainer(status.initContainerStatuses);
  if (failedInit) return failedInit;

  const blocked = firstHopelessWaiting(status.initContainerStatuses ?? [], status.containerStatuses ?? [], now, budgets, firstSeen);
  if (blocked) return blocked;

  const scheduledAt = toMillis(scheduled.lastTransitionTime) ?? toMillis(pod.metadata?.creationTimestamp) ?? now;
  const deadlineAt = budgets.startTimeoutMs > 0 ? scheduledAt + budgets.startTimeoutMs : undefined;
  const waiting = currentWaiting(status.initContainerStatuses ?? [], status.containerStatuses ?? []);
  const reason = waiting?.reason ?? "ContainerCreating";
  const message = waiting?.message ?? "";
  if (deadlineAt !== undefined && now >= deadlineAt) {
    return {
      kind: "failed",
      code: "k8s_pod_start_timeout",
      reason,
      message: `container ${containerName} did not start within ${seconds(budgets.startTimeoutMs)} of scheduling (last state: ${reason}${message ? `: ${message}` : ""})`,
    };
  }
  return { kind: "waiting", stage: "starting", reason, message, ...(deadlineAt !== undefined ? { deadlineAt } : {}) };
}

/**
 * Records when each `container/reason` waiting state was first seen, and forgets reasons
 * that are gone (a container that left `ImagePullBackOff` and came back starts afresh).
 */
export function noteWaitingReasons(previous: ReadonlyMap<string, number>, pod: PodLike, now: number): Map<string, number> {
  const next = new Map<string, number>();
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const container of statuses) {
    const reason = container.state?.waiting?.reason;
    if (!reason) continue;
    // A kubelet alternates ErrImagePull and ImagePullBackOff while a pull keeps failing: the
    // grace counts from the first failure of the whole episode, not from the latest switch.
    const keys = [waitingKey(container.name, reason), ...(PULL_FAILURES.has(reason) ? [waitingKey(container.name, PULL_EPISODE)] : [])];
    for (const key of keys) next.set(key, previous.get(key) ?? now);
  }
  return next;
}

const PULL_FAILURES = new Set(["ErrImagePull", "ImagePullBackOff"]);
const PULL_EPISODE = "image-pull-failing";

export function waitingKey(container: string, reason: string): string {
  return `${container}/${reason}`;
}

function firstHopelessWaiting(
  inits: readonly ContainerStatus[],
  mains: readonly ContainerStatus[],
  now: number,
  budgets: PodBudgets,
  firstSeen: ReadonlyMap<string, number>,
): PodVerdict | undefined {
  for (const container of [...inits, ...mains]) {
    const waiting = container.state?.waiting;
    if (!waiting?.reason) continue;
    const reason = waiting.reason;
    const since = firstSeen.get(waitingKey(container.name, reason)) ?? now;
    const detail = waiting.message ? `: ${waiting.message}` : "";
    if (IMMEDIATELY_HOPELESS.has(reason)) {
      return { kind: "failed", code: "k8s_image_pull_failed", reason, message: `container ${container.name}: ${reason}${detail}` };
    }
    const pullSince = firstSeen.get(waitingKey(container.name, PULL_EPISODE)) ?? since;
    if (IMAGE_PULL_BACKOFF.has(reason) && now - pullSince >= budgets.imagePullBackOffGraceMs) {
      return {
        kind: "failed",
        code: "k8s_image_pull_failed",
        reason,
        message: `container ${container.name} could not pull its image for ${seconds(now - pullSince)} (${reason}${detail})`,
      };
    }
    if (CONFIG_ERRORS.has(reason) && now - since >= budgets.containerConfigErrorGraceMs) {
      return {
        kind: "failed",
        code: "k8s_container_config_error",
        reason,
        message: `container ${container.name} cannot be created (${reason}${detail})`,
      };
    }
  }
  return undefined;
}

function currentWaiting(inits: readonly ContainerStatus[], mains: readonly ContainerStatus[]) {
  for (const container of [...inits, ...mains]) {
    if (container.state?.waiting?.reason) return container.state.waiting;
  }
  return undefined;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

function failedInitContainer(statuses: readonly ContainerStatus[] | undefined): PodVerdict | undefined {
  for (const init of statuses ?? []) {
    const initEnd = init.state?.terminated;
    if (initEnd && initEnd.exitCode !== 0) {
      return {
        kind: "failed",
        code: "k8s_init_container_failed",
        reason: initEnd.reason ?? "Error",
        message: `init container ${init.name} exited with code ${initEnd.exitCode}${initEnd.message ? `: ${initEnd.message}` : ""}`,
      };
    }
  }
  return undefined;
}
