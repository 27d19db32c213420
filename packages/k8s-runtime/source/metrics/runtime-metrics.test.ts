import { describe, expect, it } from "vitest";
import { outcomeClassOf, runtimeMetrics } from "./runtime-metrics.ts";

describe("runtime metrics", () => {
  it("class error codes as the CLI's exit statuses do", () => {
    expect([undefined, null, "", "cancelled", "timeout", "k8s_oom_killed", "max_turns_exhausted"].map(outcomeClassOf)).toEqual(["success", "success", "success", "cancelled", "timeout", "failure", "failure"]);
  });

  it("are no-ops without a registered MeterProvider (nothing throws, nothing is kept)", () => {
    expect(() => {
      runtimeMetrics.runStarted();
      runtimeMetrics.runFinished("failure", "k8s_oom_killed");
      runtimeMetrics.apiRequest("create", "jobs", 201);
      runtimeMetrics.jobStarted(1.5);
      runtimeMetrics.runEnded();
    }).not.toThrow();
  });
});
