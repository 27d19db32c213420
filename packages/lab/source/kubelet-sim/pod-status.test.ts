import { describe, expect, it } from "vitest";
import { computePodStatus, type PodRuntimeState, podPhase } from "./pod-status.ts";
import type { ContainerState, Pod } from "./types.ts";

const node = { hostIP: "127.0.0.1", podIP: "127.0.0.1" };
const t0 = "2026-11-22T08:00:00Z";
const t1 = "2026-11-22T08:00:05Z";

function pod(restartPolicy: "Never" | "OnFailure" | "Always" = "Never", init = false): Pod {
  return {
    metadata: { name: "p", namespace: "ns", uid: "u" },
    spec: {
      restartPolicy,
      initContainers: init ? [{ name: "setup", image: "busybox" }] : undefined,
      containers: [
        { name: "a", image: "busybox" },
        { name: "b", image: "busybox" },
      ],
    },
    status: { conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: t0 }] },
  };
}

const waiting = (reason: string): ContainerState => ({ waiting: { reason } });
const running: ContainerState = { running: { startedAt: t0 } };
const exited = (exitCode: number, reason = exitCode === 0 ? "Completed" : "Error"): ContainerState => ({
  terminated: { exitCode, reason, startedAt: t0, finishedAt: t1 },
});

function runtime(a: ContainerState, b: ContainerState, extra: Partial<PodRuntimeState> = {}): PodRuntimeState {
  return {
    startTime: t0,
    sandboxReady: true,
    initContainers: [],
    containers: [
      { name: "a", state: a, restartCount: 0, containerID: "sim://a" },
      { name: "b", state: b, restartCount: 0, containerID: "sim://b" },
    ],
    ...extra,
  };
}

describe("podPhase", () => {
  it.each([
    ["both waiting", waiting("ContainerCreating"), waiting("ContainerCreating"), "Never", "Pending"],
    ["one running, one pulling", running, waiting("ErrImagePull"), "Never", "Pending"],
    ["both running", running, running, "Never", "Running"],
    ["one done, one running", exited(0), running, "Never", "Running"],
    ["both exited 0", exited(0), exited(0), "Never", "Succeeded"],
    ["one exited 1", exited(0), exited(1), "Never", "Failed"],
    ["one exited 1, OnFailure restarts it", exited(0), exited(1), "OnFailure", "Running"],
    ["both exited 0, Always restarts them", exited(0), exited(0), "Always", "Running"],
    ["OOMKilled", exited(0), exited(137, "OOMKilled"), "Never", "Failed"],
  ] as const)("%s: %s", (_, a, b, policy, phase) => {
    expect(podPhase(pod(policy), runtime(a, b))).toBe(phase);
  });

  it("fails on a failed init container with restartPolicy Never, waits while init runs", () => {
    const initFailed = runtime(waiting("PodInitializing"), waiting("PodInitializing"), {
      initContainers: [{ name: "setup", state: exited(2), restartCount: 0 }],
    });
    expect(podPhase(pod("Never", true), initFailed)).toBe("Failed");
    const initRunning = { ...initFailed, initContainers: [{ name: "setup", state: running, restartCount: 0 }] };
    expect(podPhase(pod("Never", true), initRunning)).toBe("Pending");
  });

  it("is Failed when the node failed the pod", () => {
    expect(podPhase(pod(), runtime(running, running, { failure: { reason: "DeadlineExceeded", message: "m" } }))).toBe("Failed");
  });
});

describe("computePodStatus", () => {
  it("reports a running pod as ready with stable transition times", () => {
    const p = pod();
    const first = computePodStatus(p, runtime(running, running), t0, node);
    expect(first.phase).toBe("Running");
    expect(first.podIP).toBe("127.0.0.1");
    expect(first.conditions?.find((c) => c.type === "Ready")).toEqual({ type: "Ready", status: "True", lastProbeTime: null, lastTransitionTime: t0 });
    expect(first.containerStatuses?.[0]).toMatchObject({ name: "a", ready: true, started: true, imageID: "sim://busybox" });
    const again = computePodStatus({ ...p, status: first }, runtime(running, running), t1, node);
    expect(again.conditions?.find((c) => c.type === "Ready")?.lastTransitionTime).toBe(t0);
  });

  it("names unready containers and incomplete init containers like the kubelet", () => {
    const status = computePodStatus(
      pod("Never", true),
      runtime(waiting("PodInitializing"), waiting("PodInitializing"), {
        initContainers: [{ name: "setup", state: running, restartCount: 0, containerID: "sim://s" }],
      }),
      t1,
      node,
    );
    expect(status.phase).toBe("Pending");
    expect(status.conditions?.find((c) => c.type === "Initialized")).toMatchObject({
      status: "False",
      reason: "ContainersNotInitialized",
      message: "containers with incomplete status: [setup]",
    });
    expect(status.conditions?.find((c) => c.type === "ContainersReady")).toMatchObject({
      status: "False",
      reason: "ContainersNotReady",
      message: "containers with unready status: [a b]",
    });
    expect(status.initContainerStatuses?.[0]).toMatchObject({ name: "setup", started: true, ready: false });
  });

  it("marks a finished pod PodCompleted and keeps the scheduler's condition", () => {
    const status = computePodStatus(pod(), runtime(exited(0), exited(0)), t1, node);
    expect(status.phase).toBe("Succeeded");
    expect(status.conditions?.find((c) => c.type === "Ready")).toMatchObject({ status: "False", reason: "PodCompleted" });
    expect(status.conditions?.find((c) => c.type === "PodScheduled")).toEqual({ type: "PodScheduled", status: "True", lastTransitionTime: t0 });
  });

  it("carries the node's failure reason", () => {
    const failure = { reason: "DeadlineExceeded", message: "Pod was active on the node longer than the specified deadline" };
    const status = computePodStatus(pod(), runtime(exited(137), exited(137), { failure }), t1, node);
    expect(status).toMatchObject({ phase: "Failed", ...failure });
  });

  it("marks an evicted pod with DisruptionTarget, keeping its transition time", () => {
    const disruption = { reason: "TerminationByKubelet", message: "The node was low on resource: memory. " };
    const failure = { reason: "Evicted", message: disruption.message };
    const first = computePodStatus(pod(), runtime(exited(137), exited(137), { failure, disruption }), t0, node);
    expect(first).toMatchObject({ phase: "Failed", reason: "Evicted" });
    expect(first.conditions?.find((c) => c.type === "DisruptionTarget")).toEqual({
      type: "DisruptionTarget",
      status: "True",
      lastProbeTime: null,
      lastTransitionTime: t0,
      ...disruption,
    });
    const again = computePodStatus({ ...pod(), status: first }, runtime(exited(137), exited(137), { failure, disruption }), t1, node);
    expect(again.conditions?.filter((c) => c.type === "DisruptionTarget")).toHaveLength(1);
    expect(again.conditions?.find((c) => c.type === "DisruptionTarget")?.lastTransitionTime).toBe(t0);
  });
});
