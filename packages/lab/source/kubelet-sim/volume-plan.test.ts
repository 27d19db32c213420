import { describe, expect, it } from "vitest";
import { planMounts } from "./volume-plan.ts";
import type { Container, Pod } from "./types.ts";

const paths = { podDir: "/lab/pods/u-1", claimsDir: "/lab/pvc" };

function podWith(container: Partial<Container>): { pod: Pod; container: Container } {
  const c: Container = { name: "main", ...container };
  return {
    container: c,
    pod: {
      metadata: { name: "p", namespace: "team", uid: "u-1" },
      spec: {
        containers: [c],
        volumes: [
          { name: "work", persistentVolumeClaim: { claimName: "workspace" } },
          { name: "prompt", secret: { secretName: "run-1" } },
          { name: "scratch", emptyDir: {} },
          { name: "token", projected: { sources: [{ serviceAccountToken: { path: "token" } }] } },
        ],
      },
    },
  };
}

describe("planMounts", () => {
  it("maps every volume kind to its host directory, parents first, plus the termination log", () => {
    const { pod, container } = podWith({
      terminationMessagePath: "/tmp/done",
      volumeMounts: [
        { name: "scratch", mountPath: "/paperclip/cache" },
        { name: "work", mountPath: "/paperclip" },
        { name: "prompt", mountPath: "/tmp/prompt" },
        { name: "token", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" },
      ],
    });
    expect(planMounts(pod, container, paths)).toEqual([
      { source: "/lab/pvc/team/workspace", target: "/paperclip", readOnly: false, kind: "directory" },
      { source: "/lab/pods/u-1/volumes/empty-dir/scratch", target: "/paperclip/cache", readOnly: false, kind: "directory" },
      { source: "/lab/pods/u-1/volumes/secret/prompt", target: "/tmp/prompt", readOnly: true, kind: "directory" },
      { source: "/lab/pods/u-1/containers/main/termination-log", target: "/tmp/done", readOnly: false, kind: "file" },
      {
        source: "/lab/pods/u-1/volumes/projected/token",
        target: "/var/run/secrets/kubernetes.io/serviceaccount",
        readOnly: true,
        kind: "directory",
      },
    ]);
  });

  it("defaults the termination log to /dev/termination-log", () => {
    const { pod, container } = podWith({});
    expect(planMounts(pod, container, paths)).toEqual([
      { source: "/lab/pods/u-1/containers/main/termination-log", target: "/dev/termination-log", readOnly: false, kind: "file" },
    ]);
  });

  it("resolves subPath inside the volume and refuses to leave it", () => {
    const ok = podWith({ volumeMounts: [{ name: "work", mountPath: "/home/node/.claude", subPath: "agents/a1/claude", readOnly: true }] });
    expect(planMounts(ok.pod, ok.container, paths).find((m) => m.target === "/home/node/.claude")).toEqual({
      source: "/lab/pvc/team/workspace/agents/a1/claude",
      target: "/home/node/.claude",
      readOnly: true,
      kind: "unknown",
    });
    const escaping = podWith({ volumeMounts: [{ name: "work", mountPath: "/x", subPath: "../../etc" }] });
    expect(() => planMounts(escaping.pod, escaping.container, paths)).toThrow(/must be a relative path inside the volume/);
  });

  it("names an unknown volume", () => {
    const { pod, container } = podWith({ volumeMounts: [{ name: "nope", mountPath: "/x" }] });
    expect(() => planMounts(pod, container, paths)).toThrow('volumeMount "nope" names no volume of the pod');
  });
});
