import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JobLike } from "../kube-objects.ts";
import { type AdmissionPolicy, decideAdmission, OWNER_ANNOTATION, type RunToAdmit } from "./decide-admission.ts";

const now = Date.parse("2026-11-22T12:00:00Z");
const minutes = (n: number) => n * 60_000;
const policy: AdmissionPolicy = { reattachOrphanedJobs: true, ownerStaleAfterMs: minutes(10) };
const run: RunToAdmit = { agentId: "agent-1", runId: "run-new", taskId: "task-1", sessionId: "sess-1" };

function job(options: { name: string; runId: string; taskId?: string; sessionId?: string; owner?: string; createdMinutesAgo?: number; finished?: boolean; deleting?: boolean }): JobLike {
  return {
    metadata: {
      name: options.name,
      uid: `uid-${options.name}`,
      creationTimestamp: new Date(now - minutes(options.createdMinutesAgo ?? 1)).toISOString(),
      ...(options.deleting ? { deletionTimestamp: new Date(now).toISOString() } : {}),
      labels: { "paperclip.io/run-id": options.runId },
      annotations: {
        "paperclip.io/run-id": options.runId,
        ...(options.taskId ? { "paperclip.io/task-id": options.taskId } : {}),
        ...(options.sessionId ? { "paperclip.io/session-id": options.sessionId } : {}),
        ...(options.owner ? { [OWNER_ANNOTATION]: options.owner } : {}),
      },
    },
    status: options.finished ? { conditions: [{ type: "Complete", status: "True" }] } : { active: 1 },
  };
}

const alive = (id: string) => (id === "live-process" ? now - 5_000 : id === "dead-process" ? now - minutes(30) : undefined);

describe("decideAdmission", () => {
  it("proceeds when the agent has no unfinished Job", () => {
    expect(decideAdmission([], run, policy, alive, now)).toEqual({ action: "proceed", sweep: [] });
    const done = job({ name: "old", runId: "run-old", owner: "dead-process", finished: true });
    const deleting = job({ name: "going", runId: "run-x", owner: "live-process", deleting: true });
    expect(decideAdmission([done, deleting], run, policy, alive, now)).toEqual({ action: "proceed", sweep: [] });
  });

  it("blocks on a live Job of another run, naming it", () => {
    const live = job({ name: "ac-agent-1-run-old", runId: "run-old", taskId: "task-9", owner: "live-process" });
    const decision = decideAdmission([live], run, policy, alive, now);
    expect(decision).toMatchObject({ action: "block", reason: "live-run", job: live });
    expect(decision.action === "block" && decision.message).toContain("ac-agent-1-run-old");
  });

  it("adopts its own run's Job when its owner is gone (Paperclip re-executed the run)", () => {
    const mine = job({ name: "ac-agent-1-run-new", runId: "run-new", owner: "dead-process" });
    expect(decideAdmission([mine], run, policy, alive, now)).toEqual({ action: "adopt", job: mine, why: "same-run", sweep: [] });
  });

  it("blocks its own run's Job while another live process follows it", () => {
    const mine = job({ name: "ac-agent-1-run-new", runId: "run-new", owner: "live-process" });
    expect(decideAdmission([mine], run, policy, alive, now)).toMatchObject({ action: "block", reason: "same-run-live-owner" });
  });

  it("adopts an orphan of the same task and session; blocks instead when reattach is off", () => {
    const orphan = job({ name: "orphan", runId: "run-crashed", taskId: "task-1", sessionId: "sess-1", owner: "dead-process" });
    expect(decideAdmission([orphan], run, policy, alive, now)).toEqual({ action: "adopt", job: orphan, why: "orphan-of-same-task", sweep: [] });
    expect(decideAdmission([orphan], run, { ...policy, reattachOrphanedJobs: false }, alive, now)).toMatchObject({ action: "block", reason: "reattach-disabled" });
  });

  it("sweeps orphans that cannot be this run's continuation: other task, other session, unknown task", () => {
    const otherTask = job({ name: "other-task", runId: "r1", taskId: "task-2", owner: "dead-process" });
    const otherSession = job({ name: "other-session", runId: "r2", taskId: "task-1", sessionId: "sess-9", owner: "dead-process" });
    const unknownTask = job({ name: "unknown-task", runId: "r3", owner: "dead-process" });
    expect(decideAdmission([otherTask, otherSession, unknownTask], run, policy, alive, now)).toEqual({ action: "proceed", sweep: [otherTask, otherSession, unknownTask] });
  });

  it("treats an owner with no heartbeat record like a dead one", () => {
    const unknownOwner = job({ name: "unknown-owner", runId: "r4", taskId: "task-2", owner: "never-seen" });
    expect(decideAdmission([unknownOwner], run, policy, alive, now)).toEqual({ action: "proceed", sweep: [unknownOwner] });
  });

  it("never sweeps or adopts a running Job of another run without our owner mark (another adapter's), however old: it blocks, naming it", () => {
    for (const createdMinutesAgo of [2, 60, 24 * 60]) {
      const ownerless = job({ name: "public-adapter-job", runId: "r6", taskId: "task-1", sessionId: "sess-1", createdMinutesAgo });
      const decision = decideAdmission([ownerless], run, policy, alive, now);
      expect(decision).toMatchObject({ action: "block", reason: "unowned" });
      if (decision.action === "block") expect(decision.message).toContain("public-adapter-job");
    }
  });

  it("never sweeps or adopts a Job whose owner is alive, never sweeps one without owner mark", () => {
    const owners = fc.constantFrom("live-process", "dead-process", "never-seen", undefined);
    const jobArbitrary = fc.record({
      name: fc.string({ minLength: 1, maxLength: 6 }),
      runId: fc.constantFrom("run-new", "r1", "r2"),
      taskId: fc.option(fc.constantFrom("task-1", "task-2"), { nil: undefined }),
      sessionId: fc.option(fc.constantFrom("sess-1", "sess-2"), { nil: undefined }),
      owner: owners,
      createdMinutesAgo: fc.nat(120),
      finished: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(jobArbitrary, { maxLength: 6 }), fc.boolean(), (specs, reattach) => {
        const jobs = specs.map((spec) => job(spec as Parameters<typeof job>[0]));
        const decision = decideAdmission(jobs, run, { ...policy, reattachOrphanedJobs: reattach }, alive, now);
        const liveOwned = (candidate: JobLike) => candidate.metadata?.annotations?.[OWNER_ANNOTATION] === "live-process";
        const unowned = (candidate: JobLike) => candidate.metadata?.annotations?.[OWNER_ANNOTATION] === undefined;
        if (decision.action !== "block") {
          for (const swept of decision.sweep) expect(liveOwned(swept) || unowned(swept)).toBe(false);
          if (decision.action === "adopt") expect(liveOwned(decision.job)).toBe(false);
          // Proceeding or adopting means no unfinished Job with a live owner exists.
          for (const candidate of jobs) {
            if (candidate.status?.conditions === undefined) expect(liveOwned(candidate)).toBe(false);
          }
        }
      }),
    );
  });
});
