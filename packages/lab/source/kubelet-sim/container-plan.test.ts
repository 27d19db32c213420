import { describe, expect, it } from "vitest";
import { CreateContainerError, planContainer } from "./container-plan.ts";
import { ContainerConfigError } from "./env.ts";
import type { Container, Pod } from "./types.ts";

const pod = (container: Container, securityContext: Pod["spec"]["securityContext"] = {}): Pod => ({
  metadata: { name: "p", namespace: "ns", uid: "u" },
  spec: { securityContext, containers: [container] },
});

describe("planContainer", () => {
  it("follows ENTRYPOINT/CMD rules and expands $(VAR)", () => {
    const image = { entrypoint: ["claude"], cmd: ["--help"] };
    const plan = (c: Partial<Container>) => planContainer(pod({ name: "c", ...c }), { name: "c", ...c }, image, { MODEL: "opus" }).argv;
    expect(plan({})).toEqual(["claude", "--help"]);
    expect(plan({ args: ["--model", "$(MODEL)"] })).toEqual(["claude", "--model", "opus"]);
    expect(plan({ command: ["sh", "-c"] })).toEqual(["sh", "-c"]);
    expect(plan({ command: ["sh"], args: ["-c", "echo $(MODEL)"] })).toEqual(["sh", "-c", "echo opus"]);
  });

  it("refuses a container with no command and an image without one", () => {
    const c = { name: "c" };
    expect(() => planContainer(pod(c), c, {}, {})).toThrow(CreateContainerError);
    expect(() => planContainer(pod(c), c, {}, {})).toThrow(/no command specified/);
  });

  it("takes the user from the container, then the pod; adds fsGroup to the groups", () => {
    const c: Container = { name: "c", command: ["true"], securityContext: { runAsUser: 1001 }, resources: { limits: { memory: "64Mi" } } };
    expect(planContainer(pod(c, { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [5] }), c, {}, {})).toEqual({
      argv: ["true"],
      uid: 1001,
      gid: 3000,
      supplementalGroups: [5, 2000],
      workingDir: "/",
      memoryLimitBytes: 64 * 2 ** 20,
    });
  });

  it("enforces runAsNonRoot like the kubelet", () => {
    const c: Container = { name: "c", command: ["true"] };
    expect(() => planContainer(pod(c, { runAsNonRoot: true }), c, {}, {})).toThrow(ContainerConfigError);
    expect(() => planContainer(pod(c, { runAsNonRoot: true }), c, {}, {})).toThrow(/container has runAsNonRoot and image will run as root/);
  });
});
