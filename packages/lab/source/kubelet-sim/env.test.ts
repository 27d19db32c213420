import { describe, expect, it } from "vitest";
import { ContainerConfigError, expandReferences, type ObjectLookups, resolveEnv } from "./env.ts";
import type { NodeFacts } from "./field-ref.ts";
import type { Container, Pod } from "./types.ts";

const node: NodeFacts = { hostIP: "127.0.0.1", podIP: "127.0.0.1", allocatable: { cpu: 2, memory: 8 * 2 ** 30 } };
const b64 = (text: string) => Buffer.from(text).toString("base64");

const lookups: ObjectLookups = {
  async secret(namespace, name) {
    if (namespace !== "team" || name !== "api") return undefined;
    return { metadata: { name, uid: "s1" }, data: { token: b64("s3cret"), "bad key": b64("x") } };
  },
  async configMap(namespace, name) {
    if (namespace !== "team" || name !== "settings") return undefined;
    return { metadata: { name, uid: "c1" }, data: { MODEL: "opus", LEVEL: "3" } };
  },
};

function pod(container: Partial<Container>): { pod: Pod; container: Container } {
  const c: Container = { name: "main", image: "busybox", ...container };
  return {
    container: c,
    pod: {
      metadata: { name: "run-1", namespace: "team", uid: "u-1", labels: { app: "claude" } },
      spec: { nodeName: "sim", serviceAccountName: "runner", containers: [c] },
    },
  };
}

describe("resolveEnv", () => {
  it("layers image env, envFrom, then env, expanding $(NAME)", async () => {
    const { pod: p, container } = pod({
      envFrom: [{ configMapRef: { name: "settings" } }, { secretRef: { name: "api" }, prefix: "API_" }],
      env: [
        { name: "LEVEL", value: "9" },
        { name: "GREETING", value: "model=$(MODEL) level=$(LEVEL) keep=$(UNSET) cost=$$5" },
      ],
    });
    const env = await resolveEnv(p, container, lookups, node, { PATH: "/bin", LEVEL: "0" });
    expect(env).toEqual({
      PATH: "/bin",
      MODEL: "opus",
      LEVEL: "9",
      API_token: "s3cret",
      GREETING: "model=opus level=9 keep=$(UNSET) cost=$5",
    });
  });

  it("reads keys and the downward API", async () => {
    const { pod: p, container } = pod({
      resources: { limits: { memory: "256Mi" } },
      env: [
        { name: "TOKEN", valueFrom: { secretKeyRef: { name: "api", key: "token" } } },
        { name: "MODEL", valueFrom: { configMapKeyRef: { name: "settings", key: "MODEL" } } },
        { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        { name: "APP", valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
        { name: "IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
        { name: "MEM_MI", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } } },
        { name: "CPUS", valueFrom: { resourceFieldRef: { resource: "limits.cpu" } } },
      ],
    });
    expect(await resolveEnv(p, container, lookups, node)).toEqual({
      TOKEN: "s3cret",
      MODEL: "opus",
      POD: "run-1",
      APP: "claude",
      NODE: "sim",
      IP: "127.0.0.1",
      MEM_MI: "256",
      CPUS: "2",
    });
  });

  it("fails with the kubelet's message for a missing Secret key", async () => {
    const { pod: p, container } = pod({ env: [{ name: "X", valueFrom: { secretKeyRef: { name: "api", key: "nope" } } }] });
    const failure = resolveEnv(p, container, lookups, node);
    await expect(failure).rejects.toBeInstanceOf(ContainerConfigError);
    await expect(failure).rejects.toThrow("couldn't find key nope in Secret team/api");
  });

  it.each([
    [{ secretKeyRef: { name: "gone", key: "k" } }, 'secret "gone" not found'],
    [{ configMapKeyRef: { name: "gone", key: "k" } }, 'configmap "gone" not found'],
    [{ configMapKeyRef: { name: "settings", key: "k" } }, "couldn't find key k in ConfigMap team/settings"],
    [{ fieldRef: { fieldPath: "spec.bogus" } }, 'unsupported fieldRef fieldPath "spec.bogus"'],
  ])("fails %j with %s", async (valueFrom, message) => {
    const { pod: p, container } = pod({ env: [{ name: "X", valueFrom }] });
    await expect(resolveEnv(p, container, lookups, node)).rejects.toThrow(message);
  });

  it("skips optional references that are missing", async () => {
    const { pod: p, container } = pod({
      envFrom: [{ secretRef: { name: "gone", optional: true } }],
      env: [{ name: "X", valueFrom: { secretKeyRef: { name: "api", key: "nope", optional: true } } }],
    });
    expect(await resolveEnv(p, container, lookups, node)).toEqual({});
  });
});

describe("expandReferences", () => {
  it.each([
    ["$(A)-$(B)", "1-$(B)"],
    ["$$(A)", "$(A)"],
    ["trailing $", "trailing $"],
    ["$(unclosed", "$(unclosed"],
    ["$A", "$A"],
  ])("%s -> %s", (text, expected) => {
    expect(expandReferences(text, { A: "1" })).toBe(expected);
  });
});
