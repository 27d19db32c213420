import { describe, expect, it } from "vitest";
import { FaultRules, matches } from "./faults.ts";
import { describeRequest } from "./request-info.ts";

const listPods = describeRequest("GET", "/api/v1/namespaces/a/pods");
const createJob = describeRequest("POST", "/apis/batch/v1/namespaces/a/jobs");
const podLog = describeRequest("GET", "/api/v1/namespaces/a/pods/p/log?follow=true");

describe("matches", () => {
  it("needs every given field to match", () => {
    expect(matches(undefined, listPods)).toBe(true);
    expect(matches({ verb: "list", resource: "pods" }, listPods)).toBe(true);
    expect(matches({ verb: ["create", "delete"] }, listPods)).toBe(false);
    expect(matches({ resource: "jobs", group: "batch" }, createJob)).toBe(true);
    expect(matches({ resource: "jobs", group: "" }, createJob)).toBe(false);
    expect(matches({ resource: "pods/log" }, podLog)).toBe(true);
    expect(matches({ resource: "pods", namespace: "b" }, listPods)).toBe(false);
  });
});

describe("FaultRules", () => {
  it("applies the largest matching latency", () => {
    const rules = new FaultRules();
    rules.addLatency({ ms: 100 });
    rules.addLatency({ ms: 500, match: { verb: "create" } });
    expect(rules.latencyFor(listPods)).toBe(100);
    expect(rules.latencyFor(createJob)).toBe(500);
    rules.clear();
    expect(rules.latencyFor(createJob)).toBe(0);
  });

  it("keeps stream latency apart from request latency", () => {
    const rules = new FaultRules();
    const watchJobs = describeRequest("GET", "/apis/batch/v1/namespaces/a/jobs?watch=1");
    rules.addLatency({ ms: 4000, on: "stream", match: { verb: "watch", resource: "jobs" } });
    expect(rules.latencyFor(watchJobs)).toBe(0);
    expect(rules.streamLatencyFor(watchJobs)).toBe(4000);
    expect(rules.streamLatencyFor(podLog)).toBe(0);
    expect(() => rules.addLatency({ ms: 1, on: "body" as never })).toThrow(/"request" or "stream"/);
  });

  it("answers errors for a time window", () => {
    const rules = new FaultRules();
    rules.addErrors({ status: 503, durationMs: 1000, match: { resource: "jobs" } }, 0);
    expect(rules.errorFor(listPods, 10)).toBeUndefined();
    const injected = rules.errorFor(createJob, 10);
    expect(injected?.status).toBe(503);
    expect(injected?.headers["retry-after"]).toBe("1");
    expect(JSON.parse(injected?.body ?? "{}")).toMatchObject({ kind: "Status", code: 503, reason: "ServiceUnavailable" });
    expect(rules.errorFor(createJob, 1001)).toBeUndefined();
  });

  it("answers errors for a number of requests", () => {
    const rules = new FaultRules();
    rules.addErrors({ status: 429, count: 2, retryAfterSeconds: 3 }, 0);
    expect(rules.errorFor(listPods, 0)?.headers["retry-after"]).toBe("3");
    expect(rules.errorFor(listPods, 0)?.status).toBe(429);
    expect(rules.errorFor(listPods, 0)).toBeUndefined();
  });

  it("refuses rules that would never end or are not errors", () => {
    const rules = new FaultRules();
    expect(() => rules.addErrors({ status: 503 }, 0)).toThrow(/durationMs or count/);
    expect(() => rules.addErrors({ status: 200, count: 1 }, 0)).toThrow(/4xx or 5xx/);
  });
});
