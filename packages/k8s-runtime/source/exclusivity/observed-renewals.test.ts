import { describe, expect, it } from "vitest";
import { decideAdmission, OWNER_ANNOTATION } from "../decisions/decide-admission.ts";
import type { JobLike } from "../kube-objects.ts";
import type { Lease } from "./lease-time.ts";
import { RenewalObserver } from "./observed-renewals.ts";

const lease = (renewTime: string, holder = "owner-a"): Lease => ({ metadata: { name: "lease-a" }, spec: { holderIdentity: holder, renewTime, leaseDurationSeconds: 120 } });
const HOUR = 3600_000;

function clock(start: number) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe("RenewalObserver", () => {
  it("judges liveness by when a renewal was seen here, whatever the other machine's clock says", () => {
    const local = clock(Date.parse("2026-12-07T12:00:00Z"));
    const observer = new RenewalObserver(local.now);
    // The owner's clock is an hour behind ours: its renewTime looks an hour old, but it renews.
    observer.observe(lease("2026-12-07T11:00:00.000000Z"));
    local.advance(40_000);
    observer.observe(lease("2026-12-07T11:00:40.000000Z"));
    expect(observer.lastSeen("lease-a", "owner-a")).toBe(local.now());
    // An hour ahead: it does not stay alive past its last renewal seen here.
    observer.observe(lease("2026-12-07T13:10:00.000000Z"));
    const renewedAt = local.now();
    local.advance(HOUR);
    observer.observe(lease("2026-12-07T13:10:00.000000Z"));
    expect(observer.lastSeen("lease-a", "owner-a")).toBe(renewedAt);
  });

  it("calls an owner whose Lease was never seen alive from the first time it is asked about, not dead; dead after a Lease duration", () => {
    const local = clock(1_000_000);
    const observer = new RenewalObserver(local.now);
    expect(observer.lastSeen("lease-b", "owner-b")).toBe(1_000_000);
    local.advance(5000);
    expect(observer.lastSeen("lease-b", "owner-b")).toBe(1_000_000);
    local.advance(115_000);
    expect(observer.lastSeen("lease-b", "owner-b")).toBeUndefined();
  });

  it("goes by a Lease's own renewTime only until it has seen a renewal (never later than first seen), then by its own clock", () => {
    const local = clock(Date.parse("2026-12-07T12:00:00Z"));
    const observer = new RenewalObserver(local.now);
    // A holder dead for an hour is told apart at once by a process that has just started.
    observer.observe(lease("2026-12-07T11:00:00.000000Z"));
    expect(observer.lastSeen("lease-a", "owner-a")).toBe(Date.parse("2026-12-07T11:00:00Z"));
    local.advance(40_000);
    observer.observe(lease("2026-12-07T11:00:40.000000Z"));
    expect(observer.lastSeen("lease-a", "owner-a")).toBe(local.now());
    // A renewTime in our future never keeps an owner alive past when it was first seen.
    const ahead = new RenewalObserver(local.now);
    ahead.observe(lease("2026-12-07T15:00:00.000000Z"));
    expect(ahead.lastSeen("lease-a", "owner-a")).toBe(local.now());
  });

  it("calls an owner gone once its Lease was seen deleted, or held by someone else", () => {
    const observer = new RenewalObserver(() => 5);
    observer.observe(lease("2026-12-07T12:00:00.000000Z"));
    expect(observer.lastSeen("lease-a", "owner-b")).toBeUndefined();
    observer.observeDeleted("lease-a");
    expect(observer.lastSeen("lease-a", "owner-a")).toBeUndefined();
  });

  it("keeps admission from sweeping a live owner's Job across an hour of clock skew, once it has seen a renewal", () => {
    const local = clock(Date.parse("2026-12-07T12:00:00Z"));
    const observer = new RenewalObserver(local.now);
    observer.observe(lease("2026-12-07T10:58:20.000000Z"));
    local.advance(40_000);
    observer.observe(lease("2026-12-07T10:59:00.000000Z"));
    const job: JobLike = { metadata: { name: "live", creationTimestamp: "2026-12-07T10:00:00Z", labels: { "paperclip.io/run-id": "other" }, annotations: { [OWNER_ANNOTATION]: "owner-a", "paperclip.io/run-id": "other" } }, status: { active: 1 } };
    const decision = decideAdmission([job], { agentId: "agent", runId: "mine" }, { reattachOrphanedJobs: true, ownerStaleAfterMs: 600_000 }, (owner) => observer.lastSeen("lease-a", owner), local.now());
    expect(decision).toMatchObject({ action: "block", reason: "live-run" });
  });
});
