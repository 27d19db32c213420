import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ContainerStatus, PodLike } from "../kube-objects.ts";
import { classifyPodStatus, defaultPodBudgets, noteWaitingReasons, type PodBudgets } from "./classify-pod-status.ts";

const t0 = Date.parse("2026-11-22T10:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

function pod(status: NonNullable<PodLike["status"]>, createdAt = t0): PodLike {
  return { metadata: { name: "run-pod", uid: "pod-uid", creationTimestamp: iso(createdAt) }, status };
}
const scheduledAt = (ms: number) => ({ type: "PodScheduled", status: "True", lastTransitionTime: iso(ms) });
const waiting = (name: string, reason: string, message = ""): ContainerStatus => ({ name, state: { waiting: { reason, message } } });

function classify(p: PodLike, now: number, firstSeen = new Map<string, number>(), budgets: PodBudgets = defaultPodBudgets) {
  return classifyPodStatus({ pod: p, containerName: "claude", now, budgets, firstSeen });
}

describe("classifyPodStatus", () => {
  it("waits for scheduling with the schedule budget as deadline", () => {
    const verdict = classify(pod({ phase: "Pending" }), t0 + 1000);
    expect(verdict).toEqual({ kind: "waiting", stage: "scheduling", reason: "Pending", message: expect.any(String), deadlineAt: t0 + 120_000 });
  });

  it("keeps an Unschedulable pod waiting until the schedule budget runs out, then fails with the scheduler's message", () => {
    const message = "0/1 nodes are available: 1 Insufficient cpu.";
    const p = pod({ phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message }] });
    expect(classify(p, t0 + 119_000)).toMatchObject({ kind: "waiting", stage: "scheduling", reason: "Unschedulable", message });
    const failed = classify(p, t0 + 120_000);
    expect(failed).toMatchObject({ kind: "failed", code: "k8s_pod_unschedulable", reason: "Unschedulable" });
    expect(failed.kind === "failed" && failed.message).toContain(message);
  });

  it("has no schedule deadline when the budget is 0", () => {
    const p = pod({ phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }] });
    const verdict = classify(p, t0 + 10 * 3600_000, new Map(), { ...defaultPodBudgets, scheduleTimeoutMs: 0 });
    expect(verdict).toMatchObject({ kind: "waiting", stage: "scheduling" });
    expect(verdict).not.toHaveProperty("deadlineAt");
  });

  it("treats ErrImagePull as transient but fails ImagePullBackOff after its grace window", () => {
    const scheduled = t0 + 1000;
    const pulling = pod({ phase: "Pending", conditions: [scheduledAt(scheduled)], containerStatuses: [waiting("claude", "ErrImagePull", "not found")] });
    expect(classify(pulling, t0 + 500_000, noteWaitingReasons(new Map(), pulling, t0 + 2000))).toMatchObject({ kind: "waiting", stage: "starting", reason: "ErrImagePull" });

    const backoff = pod({ phase: "Pending", conditions: [scheduledAt(scheduled)], containerStatuses: [waiting("claude", "ImagePullBackOff", 'Back-off pulling image "nope:1"')] });
    const seen = noteWaitingReasons(new Map(), backoff, t0 + 10_000);
    expect(classify(backoff, t0 + 10_000 + 59_000, seen)).toMatchObject({ kind: "waiting", reason: "ImagePullBackOff" });
    const failed = classify(backoff, t0 + 10_000 + 60_000, seen);
    expect(failed).toMatchObject({ kind: "failed", code: "k8s_image_pull_failed", reason: "ImagePullBackOff" });
    expect(failed.kind === "failed" && failed.message).toContain('Back-off pulling image "nope:1"');
  });

  it("counts the back-off grace from the first failed pull, across the kubelet's ErrImagePull / ImagePullBackOff alternation", () => {
    const scheduled = [scheduledAt(t0)];
    const state = (reason: string) => pod({ phase: "Pending", conditions: scheduled, containerStatuses: [waiting("claude", reason, "not found")] });
    let seen = new Map<string, number>();
    let verdict: ReturnType<typeof classify> | undefined;
    // Every 10 s the kubelet flips between the two reasons, as real kubelets do.
    for (let step = 0; step <= 7; step++) {
      const now = t0 + step * 10_000;
      const current = state(step % 2 === 0 ? "ErrImagePull" : "ImagePullBackOff");
      seen = noteWaitingReasons(seen, current, now);
      verdict = classify(current, now, seen);
      if (verdict.kind === "failed") break;
    }
    expect(verdict).toMatchObject({ kind: "failed", code: "k8s_image_pull_failed", reason: "ImagePullBackOff" });
  });

  it("fails InvalidImageName at once", () => {
    const p = pod({ phase: "Pending", conditions: [scheduledAt(t0)], containerStatuses: [waiting("claude", "InvalidImageName", "couldn't parse image name")] });
    expect(classify(p, t0 + 1)).toMatchObject({ kind: "failed", code: "k8s_image_pull_failed", reason: "InvalidImageName" });
  });

  it("fails CreateContainerConfigError after its grace window, naming the container and the kubelet's message", () => {
    const p = pod({ phase: "Pending", conditions: [scheduledAt(t0)], containerStatuses: [waiting("claude", "CreateContainerConfigError", 'couldn\'t find key token in Secret ns/run-x')] });
    const seen = noteWaitingReasons(new Map(), p, t0 + 5000);
    expect(classify(p, t0 + 5000 + 29_999, seen).kind).toBe("waiting");
    const failed = classify(p, t0 + 5000 + 30_000, seen);
    expect(failed).toMatchObject({ kind: "failed", code: "k8s_container_config_error" });
    expect(failed.kind === "failed" && failed.message).toMatch(/claude.*couldn't find key token/);
  });

  it("looks at init containers too, and fails on a non-zero init exit", () => {
    const p = pod({
      phase: "Pending",
      conditions: [scheduledAt(t0)],
      initContainerStatuses: [{ name: "prepare", state: { terminated: { exitCode: 3, reason: "Error", message: "no workspace" } } }],
      containerStatuses: [waiting("claude", "PodInitializing")],
    });
    expect(classify(p, t0 + 1000)).toMatchObject({ kind: "failed", code: "k8s_init_container_failed", message: "init container prepare exited with code 3: no workspace" });
  });

  it("names the failed init container when the pod is already Failed (restartPolicy Never), never 'evicted'", () => {
    const p = pod({
      phase: "Failed",
      conditions: [scheduledAt(t0)],
      initContainerStatuses: [{ name: "checkout", state: { terminated: { exitCode: 1, reason: "Error", message: "ref x does not exist" } } }],
      containerStatuses: [waiting("claude", "PodInitializing")],
    });
    expect(classify(p, t0 + 1000)).toMatchObject({ kind: "failed", code: "k8s_init_container_failed", message: "init container checkout exited with code 1: ref x does not exist" });
  });

  it("fails a pod that never starts within the start budget, counted from scheduling", () => {
    const p = pod({ phase: "Pending", conditions: [scheduledAt(t0 + 100_000)], containerStatuses: [waiting("claude", "ContainerCreating")] });
    expect(classify(p, t0 + 100_000 + 599_999).kind).toBe("waiting");
    expect(classify(p, t0 + 100_000 + 600_000)).toMatchObject({ kind: "failed", code: "k8s_pod_start_timeout", reason: "ContainerCreating" });
  });

  it("reports running with the start time", () => {
    const p = pod({ phase: "Running", conditions: [scheduledAt(t0)], containerStatuses: [{ name: "claude", state: { running: { startedAt: iso(t0 + 5000) } } }] });
    expect(classify(p, t0 + 6000)).toEqual({ kind: "running", startedAt: t0 + 5000 });
  });

  it("reports the main container's exit, reason and termination message; OOMKilled is flagged", () => {
    const ok = pod({ phase: "Succeeded", containerStatuses: [{ name: "claude", state: { terminated: { exitCode: 0, reason: "Completed" } } }] });
    expect(classify(ok, t0)).toEqual({ kind: "terminated", exitCode: 0, reason: "Completed", message: "", oomKilled: false });
    const oom = pod({ phase: "Failed", containerStatuses: [{ name: "claude", state: { terminated: { exitCode: 137, reason: "OOMKilled", message: '{"type":"result"}' } } }] });
    expect(classify(oom, t0)).toEqual({ kind: "terminated", exitCode: 137, reason: "OOMKilled", message: '{"type":"result"}', oomKilled: true });
  });

  it("ignores other containers' exits (sidecars)", () => {
    const p = pod({
      phase: "Running",
      conditions: [scheduledAt(t0)],
      containerStatuses: [
        { name: "sidecar", state: { terminated: { exitCode: 1 } } },
        { name: "claude", state: { running: {} } },
      ],
    });
    expect(classify(p, t0).kind).toBe("running");
  });

  it("reports eviction and the pod's own deadline as pod failures", () => {
    const evicted = pod({ phase: "Failed", reason: "Evicted", message: "The node was low on resource: memory." });
    expect(classify(evicted, t0)).toEqual({ kind: "pod-failed", reason: "Evicted", message: "The node was low on resource: memory.", deadlineExceeded: false, code: "k8s_pod_evicted" });
    const deadline = pod({ phase: "Failed", reason: "DeadlineExceeded", message: "Pod was active on the node longer than the specified deadline" });
    expect(classify(deadline, t0)).toMatchObject({ kind: "pod-failed", deadlineExceeded: true });
  });
});

describe("noteWaitingReasons", () => {
  it("keeps the first sighting and forgets reasons that went away", () => {
    const backoff = pod({ containerStatuses: [waiting("claude", "ImagePullBackOff")] });
    const first = noteWaitingReasons(new Map(), backoff, 1000);
    const again = noteWaitingReasons(first, backoff, 5000);
    expect(again.get("claude/ImagePullBackOff")).toBe(1000);
    const pulling = pod({ containerStatuses: [waiting("claude", "ErrImagePull")] });
    const moved = noteWaitingReasons(again, pulling, 6000);
    expect([...moved.keys()].sort()).toEqual(["claude/ErrImagePull", "claude/image-pull-failing"]);
    // The reason itself starts afresh; the pull-failure episode keeps its first sighting.
    expect(noteWaitingReasons(moved, backoff, 7000).get("claude/ImagePullBackOff")).toBe(7000);
    expect(noteWaitingReasons(moved, backoff, 7000).get("claude/image-pull-failing")).toBe(1000);
    const started = pod({ containerStatuses: [{ name: "claude", state: { running: {} } }] });
    expect(noteWaitingReasons(moved, started, 8000).size).toBe(0);
  });
});

describe("classifyPodStatus on arbitrary statuses", () => {
  const reason = fc.constantFrom("ContainerCreating", "PodInitializing", "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "Weird");
  const state = fc.oneof(
    fc.record({ waiting: fc.record({ reason, message: fc.string() }) }),
    fc.record({ running: fc.constant({}) }),
    fc.record({ terminated: fc.record({ exitCode: fc.integer({ min: 0, max: 255 }), reason: fc.option(fc.constantFrom("Completed", "Error", "OOMKilled"), { nil: undefined }) }) }),
    fc.constant({}),
  );
  const container = fc.record({ name: fc.constantFrom("claude", "init", "sidecar"), state });
  const podArbitrary = fc.record({
    phase: fc.option(fc.constantFrom("Pending", "Running", "Succeeded", "Failed", "Unknown"), { nil: undefined }),
    reason: fc.option(fc.constantFrom("Evicted", "DeadlineExceeded"), { nil: undefined }),
    conditions: fc.array(fc.record({ type: fc.constantFrom("PodScheduled", "Ready"), status: fc.constantFrom("True", "False", "Unknown"), reason: fc.option(fc.constant("Unschedulable"), { nil: undefined }) }), { maxLength: 2 }),
    initContainerStatuses: fc.array(container, { maxLength: 2 }),
    containerStatuses: fc.array(container, { maxLength: 3 }),
  });

  it("never throws, and only fails with a budget-related code once a budget is spent", () => {
    fc.assert(
      fc.property(podArbitrary, fc.integer({ min: 0, max: 2_000_000 }), (status, elapsed) => {
        const p = pod(status as PodLike["status"] & object);
        const verdict = classify(p, t0 + elapsed, noteWaitingReasons(new Map(), p, t0));
        if (verdict.kind === "failed" && verdict.code === "k8s_pod_unschedulable") expect(elapsed).toBeGreaterThanOrEqual(defaultPodBudgets.scheduleTimeoutMs);
        if (verdict.kind === "failed" && verdict.code === "k8s_pod_start_timeout") expect(elapsed).toBeGreaterThanOrEqual(defaultPodBudgets.startTimeoutMs);
        if (verdict.kind === "waiting" && verdict.deadlineAt !== undefined) expect(verdict.deadlineAt).toBeGreaterThan(t0 + elapsed);
      }),
    );
  });

  it("never fails on ErrImagePull alone before the start budget is spent", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: defaultPodBudgets.startTimeoutMs - 1 }), (elapsed) => {
        const p = pod({ phase: "Pending", conditions: [scheduledAt(t0)], containerStatuses: [waiting("claude", "ErrImagePull")] });
        expect(classify(p, t0 + elapsed, noteWaitingReasons(new Map(), p, t0)).kind).toBe("waiting");
      }),
    );
  });
});
