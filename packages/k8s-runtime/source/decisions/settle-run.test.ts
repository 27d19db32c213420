import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JobVerdict } from "./classify-job-status.ts";
import type { PodVerdict } from "./classify-pod-status.ts";
import { decideSettlement, JOB_REVERIFY_MS, type JobKnowledge, type RunObservation } from "./settle-run.ts";

const now = Date.parse("2026-12-07T12:00:00Z");
const active: JobVerdict = { state: "active" };
const inCache = (verdict: JobVerdict = active): JobKnowledge => ({ state: "present", verdict, source: "cache", at: now - 1000 });
const fresh = (verdict: JobVerdict = active, at = now - 1000): JobKnowledge => ({ state: "present", verdict, source: "fresh", at });
const running: PodVerdict = { kind: "running" };
const terminated: PodVerdict = { kind: "terminated", exitCode: 0, reason: "Completed", message: "", oomKilled: false };

function decide(partial: Partial<RunObservation>) {
  return decideSettlement({ now, deadlineAt: undefined, aborted: false, job: inCache(), pod: running, ...partial });
}

describe("decideSettlement", () => {
  it("keeps following a running Job, with no requeue when there is no deadline", () => {
    expect(decide({})).toEqual({ action: "continue" });
  });

  it("requeues at the deadline, and settles as deadline once it is reached", () => {
    expect(decide({ deadlineAt: now + 5000 })).toEqual({ action: "continue", requeueAt: now + 5000 });
    expect(decide({ deadlineAt: now })).toEqual({ action: "settle", settlement: { why: "deadline" } });
  });

  it("never takes a Job missing from the watch cache for a deleted one: it asks for a fresh read", () => {
    expect(decide({ job: { state: "not-in-cache" } })).toEqual({ action: "verify-job" });
    expect(decide({ job: { state: "not-in-cache" }, pod: undefined })).toEqual({ action: "verify-job" });
  });

  it("settles as deleted only on a fresh read: gone, or being deleted", () => {
    expect(decide({ job: { state: "gone" } })).toEqual({ action: "settle", settlement: { why: "job-deleted" } });
    expect(decide({ job: inCache({ state: "deleting" }) })).toEqual({ action: "verify-job" });
    expect(decide({ job: fresh({ state: "deleting" }) })).toEqual({ action: "settle", settlement: { why: "job-deleted" } });
  });

  it("believes a fresh read over a lagging cache for a while, then reads again", () => {
    expect(decide({ job: fresh(active, now - 1000) })).toEqual({ action: "continue", requeueAt: now - 1000 + JOB_REVERIFY_MS });
    expect(decide({ job: fresh(active, now - JOB_REVERIFY_MS) })).toEqual({ action: "verify-job" });
  });

  it("settles on the container's end with its exit, before what the Job says", () => {
    const failedJob: JobVerdict = { state: "failed", final: true, reason: "BackoffLimitExceeded", message: "", deadlineExceeded: false };
    expect(decide({ pod: { ...terminated, exitCode: 3, reason: "Error" }, job: inCache(failedJob) })).toEqual({
      action: "settle",
      settlement: { why: "container-ended", exit: { exitCode: 3, reason: "Error", message: "", oomKilled: false } },
    });
  });

  it("reads the Job fresh before reporting a failed exit it does not already show: a deleted Job's pod ends before its delete is seen", () => {
    const killed: PodVerdict = { ...terminated, exitCode: 143, reason: "Error" };
    expect(decide({ pod: killed, job: inCache(active) })).toEqual({ action: "verify-job" });
    expect(decide({ pod: killed, job: { state: "not-in-cache" } })).toEqual({ action: "verify-job" });
    expect(decide({ pod: killed, job: { state: "gone" } })).toEqual({ action: "settle", settlement: { why: "job-deleted" } });
    expect(decide({ pod: killed, job: fresh({ state: "deleting" }, now) })).toEqual({ action: "settle", settlement: { why: "job-deleted" } });
    expect(decide({ pod: killed, job: fresh(active, now) })).toMatchObject({ action: "settle", settlement: { why: "container-ended" } });
    // A fresh read from before the exit does not count; a clean exit needs no read.
    expect(decide({ pod: killed, job: fresh(active, now - 60_000) })).toEqual({ action: "verify-job" });
    expect(decide({ pod: terminated, job: inCache(active) })).toMatchObject({ action: "settle", settlement: { why: "container-ended" } });
  });

  it("settles on the Job's end: failed at once (FailureTarget), succeeded only when final", () => {
    const failureTarget: JobVerdict = { state: "failed", final: false, reason: "DeadlineExceeded", message: "", deadlineExceeded: true };
    expect(decide({ pod: undefined, job: inCache(failureTarget) })).toEqual({ action: "settle", settlement: { why: "job-ended", verdict: failureTarget } });
    expect(decide({ pod: undefined, job: inCache({ state: "succeeded", final: false }) })).toEqual({ action: "continue" });
    expect(decide({ pod: undefined, job: inCache({ state: "succeeded", final: true }) })).toMatchObject({ action: "settle", settlement: { why: "job-ended" } });
  });

  it("maps pod failures: hopeless start, eviction, the pod's own deadline", () => {
    expect(decide({ pod: { kind: "failed", code: "k8s_image_pull_failed", reason: "ImagePullBackOff", message: "m" } })).toEqual({
      action: "settle",
      settlement: { why: "pod-failed", code: "k8s_image_pull_failed", reason: "ImagePullBackOff", message: "m" },
    });
    expect(decide({ pod: { kind: "pod-failed", reason: "Evicted", message: "", deadlineExceeded: false, code: "k8s_pod_evicted" } })).toMatchObject({ settlement: { code: "k8s_pod_evicted" } });
    expect(decide({ pod: { kind: "pod-failed", reason: "DeadlineExceeded", message: "", deadlineExceeded: true } })).toMatchObject({ settlement: { code: "timeout" } });
  });

  describe("properties", () => {
    const jobVerdicts = fc.constantFrom<JobVerdict>(
      active,
      { state: "deleting" },
      { state: "succeeded", final: false },
      { state: "succeeded", final: true },
      { state: "failed", final: false, reason: "BackoffLimitExceeded", message: "", deadlineExceeded: false },
      { state: "failed", final: true, reason: "DeadlineExceeded", message: "", deadlineExceeded: true },
    );
    const jobs: fc.Arbitrary<JobKnowledge> = fc.oneof(
      fc.record({ state: fc.constant("present" as const), verdict: jobVerdicts, source: fc.constantFrom("cache" as const, "fresh" as const), at: fc.integer({ min: now - 2 * JOB_REVERIFY_MS, max: now }) }),
      fc.constant({ state: "not-in-cache" as const }),
      fc.constant({ state: "gone" as const }),
    );
    const pods = fc.option(
      fc.constantFrom<PodVerdict>(
        { kind: "waiting", stage: "scheduling", reason: "Pending", message: "" },
        running,
        terminated,
        { kind: "failed", code: "k8s_pod_unschedulable", reason: "Unschedulable", message: "" },
        { kind: "pod-failed", reason: "Evicted", message: "", deadlineExceeded: false, code: "k8s_pod_evicted" },
      ),
      { nil: undefined },
    );
    const observations: fc.Arbitrary<RunObservation> = fc.record({
      now: fc.constant(now),
      deadlineAt: fc.option(fc.integer({ min: now - 10_000, max: now + 10_000 }), { nil: undefined }),
      aborted: fc.boolean(),
      job: jobs,
      pod: pods,
    });

    it("a cancel always settles as cancelled", () => {
      fc.assert(fc.property(observations, (observation) => {
        expect(decideSettlement({ ...observation, aborted: true })).toEqual({ action: "settle", settlement: { why: "cancelled" } });
      }));
    });

    it("never settles as deleted without a fresh read that says so", () => {
      fc.assert(fc.property(observations, (observation) => {
        const decision = decideSettlement(observation);
        if (decision.action === "settle" && decision.settlement.why === "job-deleted") {
          const job = observation.job;
          expect(job.state === "gone" || (job.state === "present" && job.source === "fresh" && job.verdict.state === "deleting")).toBe(true);
        }
      }));
    });

    it("never settles on the deadline before it is reached, and never requeues into the past", () => {
      fc.assert(fc.property(observations, (observation) => {
        const decision = decideSettlement(observation);
        if (decision.action === "settle" && decision.settlement.why === "deadline") expect(observation.deadlineAt).toBeLessThanOrEqual(now);
        if (decision.action === "continue" && decision.requeueAt !== undefined) expect(decision.requeueAt).toBeGreaterThan(now);
      }));
    });

    it("settles whenever the container ended or the pod can never run it, unless cancelled", () => {
      fc.assert(fc.property(observations, (observation) => {
        const decision = decideSettlement(observation);
        const podEnded = observation.pod !== undefined && ["terminated", "failed", "pod-failed"].includes(observation.pod.kind);
        if (podEnded) expect(decision).toMatchObject({ action: "settle", settlement: { why: observation.aborted ? "cancelled" : expect.stringMatching(/container-ended|pod-failed/) } });
      }));
    });
  });
});
