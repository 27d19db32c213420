import fc from "fast-check";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { describe, expect, it } from "vitest";
import { isDns1123Subdomain } from "../k8s-formats.ts";
import {
  agentVolumeClaimName,
  buildAgentVolumeClaim,
  checkSharedClaimName,
  foreignAgentVolume,
  looksLikeAgentVolumeName,
} from "./agent-volume-claim.ts";

describe("agentVolumeClaimName", () => {
  it("is a DNS-1123 subdomain of at most 63 characters, stable, and distinct for distinct agents", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.string({ minLength: 1, maxLength: 200 }), (a, b) => {
        const name = agentVolumeClaimName(a);
        expect(isDns1123Subdomain(name)).toBe(true);
        expect(name.length).toBeLessThanOrEqual(63);
        expect(agentVolumeClaimName(a)).toBe(name);
        expect(looksLikeAgentVolumeName(name)).toBe(true);
        if (a !== b) expect(agentVolumeClaimName(b)).not.toBe(name);
      }),
    );
  });
});

describe("buildAgentVolumeClaim", () => {
  const input = { agentId: "agent-1", companyId: "company-1", namespace: "agents", size: "10Gi" };

  it("is a valid ReadWriteOnce claim, labelled for sweep and doctor, with no owner", () => {
    const claim = buildAgentVolumeClaim({ ...input, storageClass: "gp3", agentName: "CEO" });
    expect(() => new PersistentVolumeClaim(claim as never).validate()).not.toThrow();
    expect(claim.spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "gp3", resources: { requests: { storage: "10Gi" } } });
    expect(claim.metadata.labels).toMatchObject({ "app.kubernetes.io/component": "agent-volume", "paperclip.io/agent-id": "agent-1" });
    expect(claim.metadata).not.toHaveProperty("ownerReferences");
  });

  it("leaves the storage class to the cluster's default when none is configured", () => {
    expect(buildAgentVolumeClaim(input).spec).not.toHaveProperty("storageClassName");
  });

  it("recognises its own agent's claim and refuses anyone else's", () => {
    const own = buildAgentVolumeClaim(input);
    expect(foreignAgentVolume(own, "agent-1")).toBeUndefined();
    expect(foreignAgentVolume(own, "agent-2")).toMatch(/another agent/);
    expect(foreignAgentVolume({ metadata: { labels: {}, annotations: { "paperclip.io/agent-id": "agent-1" } } }, "agent-1")).toMatch(/not an agent volume/);
    // Label right, raw id in the annotation wrong: not ours either.
    const relabelled = { metadata: { ...own.metadata, annotations: { ...own.metadata.annotations, "paperclip.io/agent-id": "agent-2" } } };
    expect(foreignAgentVolume(relabelled, "agent-1")).toMatch(/another agent/);
  });
});

describe("checkSharedClaimName (hostile agent config)", () => {
  it("refuses a shared claim that names an agent's own volume", () => {
    expect(() => checkSharedClaimName(agentVolumeClaimName("victim"))).toThrow(expect.objectContaining({ code: "k8s_mount_forbidden" }));
    expect(() => checkSharedClaimName("paperclip-data")).not.toThrow();
    expect(() => checkSharedClaimName(undefined)).not.toThrow();
  });
});
