import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPodNamespace, podUntil, shellPod } from "../kubelet-sim/test-utils/pods.ts";
import { startModelServer, type ModelServer } from "../model-server/model-server.ts";
import { text } from "../model-server/steps.ts";
import { adminClients, faultProxy } from "../test-support/lab-client.ts";
import { busyboxImage, claudeCodeImage, claudeInImage, missingImage } from "./node-images.ts";

// What only a real node shows: the kubelet, containerd and runc built from Go modules run
// the pods. Skipped (and counted as skipped) unless the lab runs the real node
// (CLAUDE_K8S_LAB_NODE=real).

const lab = inject("lab");
const isReal = lab.node?.kind === "real";

// Pod Security `restricted`, as the adapter's Jobs run.
const restricted = {
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  seccompProfile: { type: "RuntimeDefault" },
} as const;
const restrictedContainer = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };

const finished = (pod: V1Pod) => (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed" ? pod.status : undefined);
const waitingReason = (reasons: string[]) => (pod: V1Pod) => {
  const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
  return waiting?.reason && reasons.includes(waiting.reason) ? waiting : undefined;
};

describe.skipIf(!isReal)("the real node (kubelet, containerd, runc from Go modules)", () => {
  const { core } = adminClients();
  let ns: Awaited<ReturnType<typeof createPodNamespace>>;
  beforeAll(async () => {
    ns = await createPodNamespace("real-node");
  });
  afterAll(async () => {
    await ns?.remove();
  });

  it("is Ready and reports the versions it was built from", async () => {
    const node = await core.readNode({ name: lab.node?.name ?? "lab-node-1" });
    expect(node.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    expect(node.status?.nodeInfo?.kubeletVersion).toBe(lab.kubernetesVersion);
    expect(node.status?.nodeInfo?.containerRuntimeVersion).toBe(`containerd://${lab.node?.versions?.containerd?.replace(/^v/, "")}`);
    expect(node.status?.addresses?.find((a) => a.type === "InternalIP")?.address).toBe(lab.node?.podHostAddress);
  });

  it("runs a pod of an imported image; its output comes back through pods/log", async () => {
    await core.createNamespacedPod({ namespace: ns.name, body: shellPod("hello", "echo hello from $(hostname); id -u") });
    const status = await podUntil(ns.name, "hello", "the hello pod to finish", finished, 90_000);
    const log = await core.readNamespacedPodLog({ name: "hello", namespace: ns.name });
    expect(status.phase, log).toBe("Succeeded");
    expect(log).toBe("hello from hello\n0\n");
    expect(status.containerStatuses?.[0]?.imageID).toMatch(/sha256:/);
  });

  it("enforces Pod Security restricted with seccomp, no capabilities and no new privileges", async () => {
    const pod = shellPod("locked", "grep -E '^(Seccomp|NoNewPrivs|CapEff|CapBnd|Uid):' /proc/self/status", {
      container: { image: busyboxImage, securityContext: restrictedContainer },
      spec: { securityContext: restricted },
    });
    await core.createNamespacedPod({ namespace: ns.name, body: pod });
    const status = await podUntil(ns.name, "locked", "the locked-down pod to finish", finished, 90_000);
    const log = await core.readNamespacedPodLog({ name: "locked", namespace: ns.name });
    expect(status.phase, log).toBe("Succeeded");
    const fields = Object.fromEntries(log.trim().split("\n").map((line) => line.split(/:\s+/) as [string, string]));
    expect(fields).toMatchObject({ Seccomp: "2", NoNewPrivs: "1", CapEff: "0000000000000000", CapBnd: "0000000000000000" });
    expect(fields.Uid?.split(/\s+/)[0]).toBe("1000");
  });

  it("kills a container over its memory limit: the kubelet's own OOMKilled", async () => {
    // awk doubles a string until the cgroup's limit stops it.
    const pod = shellPod("hog", "awk 'BEGIN { s = \"xxxxxxxxxxxxxxxx\"; while (1) s = s s }'", {
      container: { resources: { limits: { memory: "32Mi" }, requests: { memory: "32Mi" } } },
    });
    await core.createNamespacedPod({ namespace: ns.name, body: pod });
    const status = await podUntil(ns.name, "hog", "the memory hog to be killed", finished, 90_000);
    const terminated = status.containerStatuses?.[0]?.state?.terminated;
    expect(status.phase).toBe("Failed");
    expect(terminated).toMatchObject({ reason: "OOMKilled", exitCode: 137 });
  });

  it("an image that is not there and whose registry does not answer: ErrImagePull, then ImagePullBackOff", async () => {
    await core.createNamespacedPod({ namespace: ns.name, body: shellPod("no-image", "true", { container: { image: missingImage } }) });
    const first = await podUntil(ns.name, "no-image", "ErrImagePull", waitingReason(["ErrImagePull", "ImagePullBackOff"]), 90_000);
    expect(first.message).toContain(missingImage);
    const backOff = await podUntil(ns.name, "no-image", "ImagePullBackOff", waitingReason(["ImagePullBackOff"]), 120_000);
    expect(backOff.message).toContain(missingImage);
  });

  it("a missing Secret key: the kubelet's CreateContainerConfigError", async () => {
    await core.createNamespacedSecret({ namespace: ns.name, body: { metadata: { name: "partial" }, stringData: { present: "1" } } });
    const pod = shellPod("no-key", "true", {
      container: { env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "partial", key: "absent" } } }] },
    });
    await core.createNamespacedPod({ namespace: ns.name, body: pod });
    const waiting = await podUntil(ns.name, "no-key", "CreateContainerConfigError", waitingReason(["CreateContainerConfigError"]), 90_000);
    expect(waiting.message).toContain("absent");
  });

  it("passes 64 KiB and 1 MiB lines through the CRI log files intact (containerd splits them at 16 KiB)", async () => {
    // Each line: a marker, then n bytes of one letter; busybox awk builds them.
    const script = `awk 'BEGIN {
      split("65536 1048576 65536 17 1048576", sizes, " ");
      for (i = 1; i <= 5; i++) { s = sprintf("%c", 96 + i); while (length(s) < sizes[i]) s = s s; printf "line%d:%s\\n", i, substr(s, 1, sizes[i]) }
    }'`;
    await core.createNamespacedPod({ namespace: ns.name, body: shellPod("long-lines", script) });
    const status = await podUntil(ns.name, "long-lines", "the long-lines pod to finish", finished, 90_000);
    expect(status.phase).toBe("Succeeded");
    const log = await core.readNamespacedPodLog({ name: "long-lines", namespace: ns.name });
    const lines = log.split("\n");
    expect(lines.at(-1)).toBe("");
    expect(lines.slice(0, -1).map((line) => [line.slice(0, 6), line.length - 6])).toEqual([
      ["line1:", 65536],
      ["line2:", 1048576],
      ["line3:", 65536],
      ["line4:", 17],
      ["line5:", 1048576],
    ]);
    lines.slice(0, -1).forEach((line, i) => {
      expect(new Set(line.slice(6)), `line ${i + 1}`).toEqual(new Set([String.fromCharCode(97 + i)]));
    });
  });

  it("rotates a container log past containerLogMaxSize during the run: pods/log then serves only the current file", async () => {
    // ~27 MiB of numbered lines, well over the kubelet's default 10Mi, then time for its 10 s rotation check.
    const script = "seq 1 300000 | awk '{ printf \"%08d %s\\n\", $1, \"................................................................................\" }'; sleep 25; echo last";
    await core.createNamespacedPod({ namespace: ns.name, body: shellPod("rotating", script) });
    const status = await podUntil(ns.name, "rotating", "the rotating pod to finish", finished, 150_000);
    expect(status.phase).toBe("Succeeded");
    const log = await core.readNamespacedPodLog({ name: "rotating", namespace: ns.name });
    expect(log.endsWith("last\n")).toBe(true);
    expect(log.startsWith("00000001 ")).toBe(false);
    // The start of the run is only in the rotated file on the node (CRI format: time stream tag content).
    const podDir = readdirSync(join(lab.dataDir, "node", "pod-logs")).find((d) => d.startsWith(`${ns.name}_rotating_`)) ?? "";
    const containerDir = join(lab.dataDir, "node", "pod-logs", podDir, "main");
    // Older rotated files are gzipped; the earliest one holds the start.
    const rotated = readdirSync(containerDir)
      .filter((f) => f.startsWith("0.log."))
      .sort();
    expect(rotated.length).toBeGreaterThan(0);
    const earliest = rotated[0] ?? "";
    const bytes = readFileSync(join(containerDir, earliest));
    const firstRotated = (earliest.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
    expect(firstRotated.split("\n")[0]).toMatch(/^\S+ stdout F 00000001 \.+$/);
  });

  it("a kubelet restarted mid-run: the container keeps running, finishes once, and its whole log is there", async () => {
    const script = "for i in $(seq 1 15); do echo tick $i; sleep 1; done";
    await core.createNamespacedPod({ namespace: ns.name, body: shellPod("through-restart", script) });
    await podUntil(ns.name, "through-restart", "the pod to run", (pod) => (pod.status?.phase === "Running" ? true : undefined), 90_000);
    await faultProxy().restartKubelet();
    const status = await podUntil(ns.name, "through-restart", "the pod to finish", finished, 120_000);
    expect(status.phase).toBe("Succeeded");
    expect(status.containerStatuses?.[0]?.restartCount).toBe(0);
    const log = await core.readNamespacedPodLog({ name: "through-restart", namespace: ns.name });
    expect(log.trim().split("\n")).toEqual(Array.from({ length: 15 }, (_, i) => `tick ${i + 1}`));
  });

  describe("the real Claude Code CLI", () => {
    let model: ModelServer;
    beforeAll(async () => {
      model = await startModelServer({ script: [text("hello from the scripted model")], host: lab.node?.podHostAddress });
    });
    afterAll(async () => {
      await model?.close();
    });

    it("runs in a restricted container as uid 1000 and reaches the scripted model over the pod network", async () => {
      await core.createNamespacedSecret({
        namespace: ns.name,
        body: { metadata: { name: "run-1" }, stringData: { prompt: "Say hello.", "api-key": "sk-ant-scripted" } },
      });
      await core.createNamespacedPod({
        namespace: ns.name,
        body: {
          metadata: { name: "claude" },
          spec: {
            restartPolicy: "Never",
            securityContext: { ...restricted, fsGroup: 1000 },
            volumes: [
              { name: "prompt", secret: { secretName: "run-1", items: [{ key: "prompt", path: "prompt" }], defaultMode: 0o440 } },
              { name: "home", emptyDir: {} },
              { name: "workspace", emptyDir: {} },
            ],
            containers: [
              {
                name: "claude",
                image: claudeCodeImage,
                command: ["sh", "-c", 'id -u > /dev/termination-log; exec "$@" < /tmp/prompt/prompt', "claude"],
                args: [claudeInImage, "--print", "-", "--output-format", "stream-json", "--verbose", "--dangerously-skip-permissions"],
                workingDir: "/workspace",
                securityContext: restrictedContainer,
                env: [
                  { name: "HOME", value: "/home/claude" },
                  { name: "CLAUDE_CONFIG_DIR", value: "/home/claude/.claude" },
                  { name: "ANTHROPIC_BASE_URL", value: model.url },
                  { name: "ANTHROPIC_API_KEY", valueFrom: { secretKeyRef: { name: "run-1", key: "api-key" } } },
                  { name: "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", value: "1" },
                  { name: "DISABLE_AUTOUPDATER", value: "1" },
                  { name: "CLAUDE_CODE_MAX_RETRIES", value: "1" },
                ],
                volumeMounts: [
                  { name: "prompt", mountPath: "/tmp/prompt" },
                  { name: "home", mountPath: "/home/claude" },
                  { name: "workspace", mountPath: "/workspace" },
                ],
              },
            ],
          },
        },
      });
      const status = await podUntil(ns.name, "claude", "the claude pod to finish", finished, 150_000);
      const log = await core.readNamespacedPodLog({ name: "claude", namespace: ns.name, container: "claude" });
      expect(status.phase, log).toBe("Succeeded");
      expect(status.containerStatuses?.[0]?.state?.terminated?.message).toBe("1000\n");
      const events = log
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { type: string; subtype?: string; is_error?: boolean; result?: string; cwd?: string });
      expect(events.find((e) => e.type === "system" && e.subtype === "init")?.cwd).toBe("/workspace");
      expect(events.at(-1)).toMatchObject({ type: "result", is_error: false, result: "hello from the scripted model" });
      expect(model.scriptedRequests().length).toBe(1);
    });
  });
});
