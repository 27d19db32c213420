import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JobLike, PodLike } from "../kube-objects.ts";
import { OWNER_ANNOTATION } from "./decide-admission.ts";
import { defaultSweepPolicy, planSweep, type SecretLike } from "./plan-sweep.ts";

const now = Date.parse("2026-11-22T12:00:00Z");
const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
const alive = (owner: string) => (owner === "live" ? now - 10_000 : owner === "dead" ? now - 120 * 60_000 : undefined);

function job(name: string, options: { owner?: string; ageMin: number; finishedMinAgo?: number; ttl?: number; runId?: string }): JobLike {
  return {
    metadata: { name, uid: `uid-${name}`, creationTimestamp: ago(options.ageMin), labels: { "paperclip.io/run-id": options.runId ?? name }, annotations: options.owner ? { [OWNER_ANNOTATION]: options.owner } : {} },
    spec: { ttlSecondsAfterFinished: options.ttl ?? 300 },
    status: options.finishedMinAgo !== undefined ? { completionTime: ago(options.finishedMinAgo), conditions: [{ type: "Complete", status: "True", lastTransitionTime: ago(options.finishedMinAgo) }] } : { active: 1 },
  };
}
const pod = (name: string, ageMin: number, ownerUid?: string): PodLike => ({ metadata: { name, uid: `pod-${name}`, creationTimestamp: ago(ageMin), ...(ownerUid ? { ownerReferences: [{ kind: "Job", uid: ownerUid, name: "x" }] } : {}) } });
const secret = (name: string, ageMin: number, options: { ownerUid?: string; runId?: string } = {}): SecretLike => ({
  metadata: { name, creationTimestamp: ago(ageMin), labels: options.runId ? { "paperclip.io/run-id": options.runId } : {}, ...(options.ownerUid ? { ownerReferences: [{ kind: "Job", uid: options.ownerUid, name: "x" }] } : {}) },
});
const names = <T extends { object: { metadata?: { name?: string } } }>(items: T[]) => items.map((item) => item.object.metadata?.name);

describe("planSweep", () => {
  it("sweeps abandoned running Jobs, over-TTL finished Jobs, orphaned pods and ownerless Secrets, nothing else", () => {
    const plan = planSweep({
      jobs: [
        job("live-owner", { owner: "live", ageMin: 120 }),
        job("abandoned", { owner: "dead", ageMin: 120 }),
        job("young", { owner: "dead", ageMin: 5 }),
        job("done-recently", { owner: "dead", ageMin: 120, finishedMinAgo: 2 }),
        job("done-long-ago", { owner: "dead", ageMin: 300, finishedMinAgo: 200 }),
      ],
      pods: [pod("of-live", 60, "uid-live-owner"), pod("orphan", 60, "uid-gone"), pod("young-orphan", 1, "uid-gone")],
      secrets: [
        secret("of-live", 60, { ownerUid: "uid-live-owner" }),
        secret("of-gone-job", 60, { ownerUid: "uid-gone" }),
        secret("ownerless-with-job", 60, { runId: "live-owner" }),
        secret("ownerless-no-job", 60, { runId: "run-vanished" }),
      ],
      ownerLastSeen: alive,
      now,
    });
    expect(names(plan.jobs)).toEqual(["abandoned", "done-long-ago"]);
    expect(names(plan.pods)).toEqual(["orphan"]);
    expect(names(plan.secrets)).toEqual(["of-gone-job", "ownerless-no-job"]);
    expect(plan.jobs[0]?.reason).toMatch(/adapter process dead has been gone for 120 min/);
  });

  it("never selects a running Job without our owner mark, however old; it reports it instead", () => {
    const plan = planSweep({ jobs: [job("public-adapter", { ageMin: 24 * 60 })], pods: [pod("its-pod", 24 * 60, "uid-public-adapter")], secrets: [], ownerLastSeen: alive, now });
    expect(names(plan.jobs)).toEqual([]);
    expect(names(plan.pods)).toEqual([]);
    expect(names(plan.unowned)).toEqual(["public-adapter"]);
    expect(plan.unowned[0]?.reason).toMatch(/no owner mark/);
  });

  it("never selects anything of a run whose owner is alive, nor anything younger than the minimum age", () => {
    const owners = fc.constantFrom("live", "dead", "unknown", undefined);
    const jobArbitrary = fc.record({ owner: owners, ageMin: fc.nat(400), finishedMinAgo: fc.option(fc.nat(400), { nil: undefined }), ttl: fc.constantFrom(0, 300, 3600) });
    fc.assert(
      fc.property(fc.array(jobArbitrary, { maxLength: 6 }), fc.array(fc.nat(400), { maxLength: 6 }), (specs, secretAges) => {
        const jobs = specs.map((spec, index) => job(`job-${index}`, spec as Parameters<typeof job>[1]));
        const pods = jobs.map((candidate, index) => pod(`pod-${index}`, specs[index]!.ageMin, candidate.metadata?.uid));
        const secrets = secretAges.map((age, index) => secret(`secret-${index}`, age, index < jobs.length ? { ownerUid: jobs[index]!.metadata!.uid! } : { runId: `job-${index}` }));
        const plan = planSweep({ jobs, pods, secrets, ownerLastSeen: alive, now });
        const liveUids = new Set(jobs.filter((_job, index) => specs[index]!.owner === "live" && specs[index]!.finishedMinAgo === undefined).map((candidate) => candidate.metadata!.uid!));
        for (const item of plan.jobs) expect(liveUids.has(item.object.metadata!.uid!)).toBe(false);
        // A running Job without our owner mark is never selected, only reported.
        for (const item of plan.jobs) expect(item.object.status?.conditions === undefined && !item.object.metadata?.annotations?.[OWNER_ANNOTATION]).toBe(false);
        expect(plan.unowned.map((item) => item.object.metadata?.name).sort()).toEqual(jobs.filter((_candidate, index) => specs[index]!.owner === undefined && specs[index]!.finishedMinAgo === undefined).map((candidate) => candidate.metadata?.name).sort());
        for (const item of plan.pods) expect(liveUids.has(item.object.metadata!.ownerReferences![0]!.uid!)).toBe(false);
        for (const item of plan.secrets) {
          const owner = item.object.metadata?.ownerReferences?.[0]?.uid;
          if (owner) expect(liveUids.has(owner)).toBe(false);
        }
        for (const item of [...plan.jobs, ...plan.pods, ...plan.secrets]) {
          expect(now - Date.parse(String(item.object.metadata!.creationTimestamp))).toBeGreaterThanOrEqual(defaultSweepPolicy.minAgeMs);
        }
      }),
    );
  });
});
