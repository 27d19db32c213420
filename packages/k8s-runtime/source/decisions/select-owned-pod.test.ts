import { describe, expect, it } from "vitest";
import { selectOwnedPod } from "./select-owned-pod.ts";

const pod = (name: string, created: string, owner?: string, labelUid?: string) => ({
  metadata: {
    name,
    creationTimestamp: created,
    ...(owner ? { ownerReferences: [{ kind: "Job", name: "run-job", uid: owner, controller: true }] } : {}),
    labels: { "job-name": "run-job", ...(labelUid ? { "batch.kubernetes.io/controller-uid": labelUid } : {}) },
  },
});

describe("selectOwnedPod", () => {
  it("picks the pod owned by this Job's UID, never a stale pod of the same Job name", () => {
    const stale = pod("run-job-old", "2026-11-22T10:05:00Z", "old-uid");
    const ours = pod("run-job-new", "2026-11-22T10:00:00Z", "new-uid");
    expect(selectOwnedPod([stale, ours], "new-uid")).toBe(ours);
    expect(selectOwnedPod([stale], "new-uid")).toBeUndefined();
  });

  it("accepts the controller-uid label when ownerReferences are missing", () => {
    const labelled = pod("run-job-x", "2026-11-22T10:00:00Z", undefined, "new-uid");
    expect(selectOwnedPod([labelled], "new-uid")).toBe(labelled);
  });

  it("prefers the newest of several owned pods", () => {
    const first = pod("a", "2026-11-22T10:00:00Z", "uid");
    const second = pod("b", "2026-11-22T10:01:00Z", "uid");
    expect(selectOwnedPod([second, first], "uid")).toBe(second);
  });
});
