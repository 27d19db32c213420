import { describe, expect, it } from "vitest";
import { buildRunManifests } from "../build-run-manifests.ts";
import type { PodSpec } from "../job.ts";
import { buildInput } from "./fixtures.ts";
import { restrictedProfileViolations } from "./restricted-profile.ts";

// The property tests lean on this checker; it must catch what the API server would refuse.
describe("restrictedProfileViolations", () => {
  const pod = () => structuredClone(buildRunManifests(buildInput()).job.spec.template.spec) as PodSpec & Record<string, unknown>;

  it("passes our pod", () => {
    expect(restrictedProfileViolations(pod())).toEqual([]);
  });

  it("catches each kind of violation", () => {
    const cases: [string, (spec: PodSpec & Record<string, unknown>) => void][] = [
      ["hostNetwork is true", (spec) => (spec.hostNetwork = true)],
      ["has type hostPath", (spec) => spec.volumes.push({ name: "h", hostPath: { path: "/" } } as never)],
      ["is privileged", (spec) => ((spec.containers[0].securityContext as Record<string, unknown>).privileged = true)],
      ["allows privilege escalation", (spec) => ((spec.containers[0].securityContext as Record<string, unknown>).allowPrivilegeEscalation = true)],
      ["does not drop ALL", (spec) => (spec.containers[0].securityContext.capabilities = { drop: [] })],
      ["may run as root", (spec) => {
        (spec.containers[0].securityContext as Record<string, unknown>).runAsNonRoot = undefined;
        (spec.securityContext as Record<string, unknown>).runAsNonRoot = undefined;
      }],
      ["no seccomp profile", (spec) => {
        (spec.containers[0].securityContext as Record<string, unknown>).seccompProfile = { type: "Unconfined" };
      }],
    ];
    for (const [violation, mutate] of cases) {
      const spec = pod();
      mutate(spec);
      expect(restrictedProfileViolations(spec).join("\n")).toContain(violation);
    }
  });
});
