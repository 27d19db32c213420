import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, describe, expect, it } from "vitest";
import { isAlive, readLabState } from "./lab-state.ts";

// `lab up | status | down` as `./dev lab` runs them: separate processes sharing only the
// run dir. Starts a second, short-lived lab of its own.

const cli = new URL("./cli.ts", import.meta.url).pathname;

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 240_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe("lab CLI", () => {
  let dir = "";
  afterAll(async () => {
    if (!dir) return;
    await runCli(["down", "--dir", dir]);
    await rm(dir, { recursive: true, force: true });
  });

  it("starts a lab, reports its kubeconfig, and stops it with every process", async () => {
    dir = await mkdtemp(join(tmpdir(), "claude-k8s-lab-cli-"));
    const notYet = await runCli(["status", "--dir", dir]);
    expect(notYet.code).toBe(3);

    const up = await runCli(["up", "--dir", dir]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/lab: up in [\d.]+ s/);

    const status = await runCli(["status", "--dir", dir, "--kubeconfig"]);
    expect(status.code).toBe(0);
    const kubeconfigPath = status.stdout.trim();
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfigPath);
    const namespaces = await kubeConfig.makeApiClient(CoreV1Api).listNamespace();
    expect(namespaces.items.map((ns) => ns.metadata?.name)).toContain("kube-system");

    const state = readLabState(dir);
    expect(state).toBeDefined();
    const pids = [state!.ownerPid, ...Object.values(state!.processes).map((p) => p.pid)];
    expect(pids.every(isAlive)).toBe(true);

    const down = await runCli(["down", "--dir", dir]);
    expect(down.code).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
    expect((await runCli(["status", "--dir", dir])).code).toBe(3);
  });
});
