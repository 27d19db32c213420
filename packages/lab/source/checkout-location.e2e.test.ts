import { execFile, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubeConfig, type V1PodStatus } from "@kubernetes/client-node";
import { afterAll, describe, expect, it } from "vitest";
import { isAlive, readLabState } from "./lab-state.ts";
import { startModelServer } from "./model-server/model-server.ts";
import { text } from "./model-server/steps.ts";

// A clone that only root can read (under /root, or a private home directory) while the
// agent runs as uid 1000. The real checkout's parents are not ours to change, so the test
// makes such a clone without copying it: in a private mount namespace the checkout is
// bind-mounted below a 0700 directory, and so is the node binary, and `lab up` runs from
// there. The namespace's processes (the lab's owner, kubelet-sim, the pods) see the
// checkout only at that path; nothing outside the namespace changes.

const repoRoot = new URL("../../../", import.meta.url).pathname.replace(/\/$/, "");
const cli = new URL("./cli.ts", import.meta.url).pathname;

type Exit = { code: number; stdout: string; stderr: string };

function collect(child: ReturnType<typeof spawn>): Promise<Exit> {
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr })));
}

function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 240_000, env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** `lab <args>` run from `<private>/checkout` with node at `<private>/node`, in a mount namespace of its own. */
function runCliFromPrivateCheckout(privateDir: string, args: string[], env: NodeJS.ProcessEnv): Promise<Exit> {
  const checkout = join(privateDir, "checkout");
  const node = join(privateDir, "node");
  mkdirSync(checkout, { recursive: true });
  writeFileSync(node, "");
  const script = 'mount --bind "$1" "$2" && mount --bind "$3" "$4" && shift 4 && exec "$@"';
  const privateCli = join(checkout, cli.slice(repoRoot.length));
  const child = spawn(
    "unshare",
    ["--mount", "--propagation", "private", "--", "sh", "-c", script, "sh", repoRoot, checkout, process.execPath, node, node, privateCli, ...args],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  return collect(child);
}

describe("the lab from a checkout only root can read", () => {
  const scratch: string[] = [];
  /** Run dirs `lab up` was pointed at: stopped afterwards whatever the test saw. */
  const labDirs: string[] = [];
  /** A fresh directory in the temp dir; mode 0700 as mkdtemp makes it, unless told. */
  const scratchDir = (prefix: string, mode = 0o700) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    scratch.push(dir);
    chmodSync(dir, mode);
    return dir;
  };
  afterAll(async () => {
    for (const dir of labDirs) if (readLabState(dir)) await runCli(["down", "--dir", dir]);
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  it("runs the real Claude Code CLI and node as uid 1000 when every file of the checkout lies below a 0700 directory", async () => {
    const privateDir = scratchDir("claude-k8s-private-");
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);
    const runDir = scratchDir("claude-k8s-lab-private-");
    labDirs.push(runDir);
    // A staging directory of this test's own: the image is staged from the private checkout,
    // not found ready from the shared lab's run.
    const stageDir = join(scratchDir("claude-k8s-agent-stage-", 0o755), "agent-image");
    const env = { ...process.env, CLAUDE_K8S_LAB_AGENT_DIR: stageDir };
    const up = await runCliFromPrivateCheckout(privateDir, ["up", "--dir", runDir], env);
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
    const state = readLabState(runDir);
    expect(state).toBeDefined();

    const model = await startModelServer({ script: [text("hello from a private checkout")] });
    try {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromFile(state!.kubeconfigPath);
      const core = kubeConfig.makeApiClient(CoreV1Api);
      await core.createNamespacedPod({
        namespace: "default",
        body: {
          metadata: { name: "agent" },
          spec: {
            restartPolicy: "Never",
            securityContext: { runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true },
            volumes: [{ name: "home", emptyDir: {} }],
            containers: [
              {
                name: "agent",
                // The name the lab documents for its agent image: claude and node on its PATH.
                image: "lab.local/claude-code:latest",
                command: ["sh", "-c", 'node -p process.version > /dev/termination-log && exec claude "$@"', "agent"],
                args: ["--print", "Say hello.", "--output-format", "stream-json", "--verbose", "--dangerously-skip-permissions"],
                workingDir: "/home/agent",
                env: [
                  { name: "HOME", value: "/home/agent" },
                  { name: "ANTHROPIC_BASE_URL", value: model.url },
                  { name: "ANTHROPIC_API_KEY", value: "sk-ant-scripted" },
                  { name: "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", value: "1" },
                  { name: "DISABLE_AUTOUPDATER", value: "1" },
                  { name: "CLAUDE_CODE_MAX_RETRIES", value: "1" },
                ],
                volumeMounts: [{ name: "home", mountPath: "/home/agent" }],
              },
            ],
          },
        },
      });
      let status: V1PodStatus | undefined;
      for (const started = Date.now(); Date.now() - started < 120_000; await new Promise((r) => setTimeout(r, 250))) {
        status = (await core.readNamespacedPodStatus({ name: "agent", namespace: "default" })).status;
        if (status?.phase === "Succeeded" || status?.phase === "Failed") break;
      }
      const log = await core.readNamespacedPodLog({ name: "agent", namespace: "default", container: "agent" }).catch(() => "");
      const terminated = status?.containerStatuses?.[0]?.state?.terminated;
      expect({ phase: status?.phase, reason: terminated?.reason, message: terminated?.message }, log).toEqual({
        phase: "Succeeded",
        reason: "Completed",
        message: `${process.version}\n`,
      });
      const result = log
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { type: string; result?: string; is_error?: boolean })
        .findLast((event) => event.type === "result");
      expect(result).toMatchObject({ is_error: false, result: "hello from a private checkout" });
    } finally {
      await model.close();
    }
    // Staged where it was told, out of the checkout: nothing under the private directory opened up.
    expect(state!.agentImage.binDir.startsWith(`${stageDir}/`)).toBe(true);
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);

    const pids = [state!.ownerPid, ...Object.values(state!.processes).map((p) => p.pid)];
    const down = await runCli(["down", "--dir", runDir]);
    expect(down.code, down.stderr).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it("lab up refuses before starting anything where the agent cannot reach its executables, naming the directory, the uid and the fix", async () => {
    const privateDir = scratchDir("claude-k8s-private-");
    const dir = scratchDir("claude-k8s-lab-refused-");
    labDirs.push(dir);
    const up = await runCli(["up", "--dir", dir], { ...process.env, CLAUDE_K8S_LAB_AGENT_DIR: join(privateDir, "agent-image") });
    expect(up.code).toBe(1);
    expect(up.stderr).toContain(`${privateDir} (mode 0700, owner uid 0) does not let uid 1000 search it`);
    expect(up.stderr).toContain("Fix: point CLAUDE_K8S_LAB_AGENT_DIR at a directory every parent of which uid 1000 can search");
    // Nothing started: no state, no log, no run dir content, nothing staged.
    expect(readLabState(dir)).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(privateDir)).toEqual([]);
  });
});
