import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyAgentVolume, storageClassFacts } from "./classify-agent-volume.ts";

const claim = (phase?: string, storageClassName?: string) => ({
  metadata: { name: "ck8s-agent-a", namespace: "agents" },
  spec: storageClassName ? { storageClassName } : {},
  ...(phase ? { status: { phase } } : {}),
});
const lab = { kind: "found", name: "lab-local", provisioner: "lab.local/directory", bindingMode: "Immediate" } as const;

describe("classifyAgentVolume", () => {
  it("mounts a bound claim, and one whose class binds when the pod is scheduled", () => {
    expect(classifyAgentVolume({ claim: claim("Bound"), storageClass: lab, waitedMs: 0, budgetMs: 1 }).kind).toBe("ready");
    expect(classifyAgentVolume({ claim: claim("Pending"), storageClass: { ...lab, bindingMode: "WaitForFirstConsumer" }, waitedMs: 0, budgetMs: 1 }).kind).toBe("ready");
  });

  it("fails at once, naming the class and the fix, when the class does not exist or there is no default", () => {
    const missing = classifyAgentVolume({ claim: claim("Pending", "fast"), storageClass: { kind: "missing", name: "fast" }, waitedMs: 0, budgetMs: 60_000 });
    expect(missing).toMatchObject({ kind: "failed", code: "k8s_volume_pending" });
    expect(missing.kind === "failed" && missing.message).toMatch(/StorageClass fast, which does not exist; set agentVolumeStorageClass/);
    const none = classifyAgentVolume({ claim: claim(), storageClass: { kind: "no-default" }, waitedMs: 0, budgetMs: 60_000 });
    expect(none.kind === "failed" && none.message).toMatch(/no default one; set agentVolumeStorageClass/);
  });

  it("waits within the budget and fails past it, whatever it knows about the class", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), fc.constantFrom<"unknown" | "found">("unknown", "found"), (waitedMs, budgetMs, kind) => {
        const storageClass = kind === "found" ? lab : { kind };
        const verdict = classifyAgentVolume({ claim: claim("Pending"), storageClass, waitedMs, budgetMs });
        if (waitedMs < budgetMs) expect(verdict).toEqual({ kind: "wait" });
        else expect(verdict.kind === "failed" && verdict.message).toMatch(/still Pending after .*kubectl describe pvc/);
      }),
    );
  });

  it("says how to start over from a lost claim", () => {
    const lost = classifyAgentVolume({ claim: claim("Lost"), storageClass: lab, waitedMs: 0, budgetMs: 1 });
    expect(lost.kind === "failed" && lost.message).toMatch(/Lost.*sweep --volumes/);
  });
});

describe("storageClassFacts", () => {
  const classes = [
    { metadata: { name: "slow" }, provisioner: "p", volumeBindingMode: "Immediate" },
    { metadata: { name: "std", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }, provisioner: "q", volumeBindingMode: "WaitForFirstConsumer" },
  ];
  it("finds the named class, else the default one", () => {
    expect(storageClassFacts("slow", classes)).toEqual({ kind: "found", name: "slow", provisioner: "p", bindingMode: "Immediate" });
    expect(storageClassFacts("nope", classes)).toEqual({ kind: "missing", name: "nope" });
    expect(storageClassFacts(undefined, classes)).toMatchObject({ kind: "found", name: "std" });
    expect(storageClassFacts(undefined, classes.slice(0, 1))).toEqual({ kind: "no-default" });
  });
});
