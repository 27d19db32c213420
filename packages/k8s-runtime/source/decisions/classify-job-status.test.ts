import { describe, expect, it } from "vitest";
import { classifyJobStatus } from "./classify-job-status.ts";

const job = (conditions: { type: string; status: string; reason?: string; message?: string }[], deleting = false) => ({
  metadata: { name: "run", ...(deleting ? { deletionTimestamp: "2026-11-22T10:00:00Z" } : {}) },
  status: { conditions },
});

describe("classifyJobStatus", () => {
  it("is active without terminal conditions", () => {
    expect(classifyJobStatus(job([]))).toEqual({ state: "active" });
    expect(classifyJobStatus({})).toEqual({ state: "active" });
    expect(classifyJobStatus(job([{ type: "Complete", status: "False" }]))).toEqual({ state: "active" });
  });

  it("reacts to SuccessCriteriaMet before Complete, and marks Complete as final", () => {
    expect(classifyJobStatus(job([{ type: "SuccessCriteriaMet", status: "True" }]))).toEqual({ state: "succeeded", final: false });
    expect(classifyJobStatus(job([{ type: "SuccessCriteriaMet", status: "True" }, { type: "Complete", status: "True" }]))).toEqual({ state: "succeeded", final: true });
  });

  it("reacts to FailureTarget before Failed and carries the reason; DeadlineExceeded is flagged", () => {
    expect(classifyJobStatus(job([{ type: "FailureTarget", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" }]))).toEqual({
      state: "failed",
      final: false,
      reason: "BackoffLimitExceeded",
      message: "Job has reached the specified backoff limit",
      deadlineExceeded: false,
    });
    expect(classifyJobStatus(job([{ type: "FailureTarget", status: "True", reason: "DeadlineExceeded" }, { type: "Failed", status: "True", reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" }]))).toEqual({
      state: "failed",
      final: true,
      reason: "DeadlineExceeded",
      message: "Job was active longer than specified deadline",
      deadlineExceeded: true,
    });
  });

  it("reports a Job being deleted that has no outcome yet", () => {
    expect(classifyJobStatus(job([], true))).toEqual({ state: "deleting" });
    expect(classifyJobStatus(job([{ type: "Complete", status: "True" }], true))).toEqual({ state: "succeeded", final: true });
  });
});
