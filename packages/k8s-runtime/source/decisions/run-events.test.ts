import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { adoptedEvent, jobEventObject, type RunEndFacts, runEndEvents } from "./run-events.ts";

const job = { name: "ac-agent-run-abc", namespace: "agents", uid: "uid-1" };
const base: RunEndFacts = { runId: "run-1", job, timedOut: false, kubernetesDeadline: false, deadlineMs: 3000, cleanupFailed: false };

describe("runEndEvents", () => {
  it("writes nothing for a run that ended on its own and was cleaned up", () => {
    expect(runEndEvents(base)).toEqual([]);
  });

  it("tells the adapter's deadline from Kubernetes' own", () => {
    expect(runEndEvents({ ...base, timedOut: true })).toEqual([{ type: "Warning", reason: "RunTimedOut", message: "run run-1 did not finish within timeoutSec + graceSec (3 s): the adapter deleted the Job; raise timeoutSec or graceSec if the work needs longer" }]);
    expect(runEndEvents({ ...base, timedOut: true, kubernetesDeadline: true }).map((event) => event.reason)).toEqual(["RunDeadlineExceeded"]);
  });

  it("a cancel wins over a deadline reached while cancelling, and a failed cleanup follows it with the command to run", () => {
    const events = runEndEvents({ ...base, timedOut: true, cancelled: { podsGone: false, jobMayStillRun: true }, cleanupFailed: true });
    expect(events.map((event) => [event.type, event.reason])).toEqual([
      ["Normal", "RunCancelled"],
      ["Warning", "RunCleanupFailed"],
    ]);
    expect(events[1]?.message).toContain("kubectl delete job ac-agent-run-abc -n agents");
  });

  it("names who adopted the Job and why", () => {
    expect(adoptedEvent("run-2", "orphan-of-same-task")).toEqual({ type: "Normal", reason: "RunAdopted", message: "run run-2 adopted this Job (a Job left running by an earlier run of the same task) instead of starting a new one" });
  });

  it("property: every end has at most one 'how it ended' Event, and a failed cleanup always gets one", () => {
    const facts = fc.record({ timedOut: fc.boolean(), kubernetesDeadline: fc.boolean(), cleanupFailed: fc.boolean(), cancelled: fc.option(fc.record({ podsGone: fc.boolean() }), { nil: undefined }) });
    fc.assert(
      fc.property(facts, (extra) => {
        const { cancelled, ...rest } = extra;
        const events = runEndEvents({ ...base, ...rest, ...(cancelled ? { cancelled } : {}) });
        expect(events.filter((event) => event.reason !== "RunCleanupFailed").length).toBe(cancelled || extra.timedOut ? 1 : 0);
        expect(events.some((event) => event.reason === "RunCleanupFailed")).toBe(extra.cleanupFailed);
        for (const event of events) expect(event.message).toContain("run-1");
      }),
    );
  });
});

describe("jobEventObject", () => {
  it("is a core/v1 Event on the Job by name and UID, from claude-k8s, with second-precision timestamps", () => {
    const object = jobEventObject(job, adoptedEvent("run-2", "same-run"), { now: new Date("2026-12-08T01:02:03.456Z"), reportingInstance: "owner-1" });
    expect(object).toMatchObject({
      apiVersion: "v1",
      kind: "Event",
      metadata: { generateName: "ac-agent-run-abc.", namespace: "agents" },
      involvedObject: { apiVersion: "batch/v1", kind: "Job", name: "ac-agent-run-abc", namespace: "agents", uid: "uid-1" },
      type: "Normal",
      reason: "RunAdopted",
      source: { component: "claude-k8s" },
      reportingInstance: "owner-1",
      firstTimestamp: "2026-12-08T01:02:03Z",
      count: 1,
    });
  });

  it("caps the message at 1 KiB", () => {
    const object = jobEventObject(job, { type: "Warning", reason: "RunCleanupFailed", message: "x".repeat(5000) }, { now: new Date(0), reportingInstance: "o" });
    expect(object.message.length).toBe(1024);
  });
});
