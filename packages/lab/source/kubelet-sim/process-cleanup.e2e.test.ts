import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adminClients, eventually, labEndpoints } from "../test-support/lab-client.ts";
import { detectMemoryCgroups, sweepStaleCgroups } from "./memory-cgroup.ts";
import { createPodNamespace, podUntil, shellPod } from "./test-utils/pods.ts";

// No container process outlives kubelet-sim, whether it stops cleanly or is SIGKILLed.
// Each test runs a second sim (its own node) from the CLI entry, pins a pod to it and
// ends the sim.

const mainScript = new URL("./main.ts", import.meta.url).pathname;

function processesMatching(pattern: string): string {
  return execFileSync("sh", ["-c", `pgrep -af '${pattern}' | grep -v pgrep || true`], { encoding: "utf8" }).trim();
}

describe("kubelet-sim process cleanup", () => {
  const { core } = adminClients();
  let ns: Awaited<ReturnType<typeof createPodNamespace>>;
  let dataDir: string;
  const sims: ChildProcess[] = [];
  beforeAll(async () => {
    ns = await createPodNamespace("sim-cleanup");
    dataDir = mkdtempSync(join(tmpdir(), "kubelet-sim-cleanup-"));
  });
  afterEach(async () => {
    for (const sim of sims.splice(0)) if (sim.exitCode === null && sim.signalCode === null) sim.kill("SIGKILL");
  });
  afterAll(async () => {
    await ns?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startSim(nodeName: string): Promise<ChildProcess> {
    const lab = labEndpoints();
    const pki = join(lab.dataDir, "pki");
    const sim = spawn(
      process.execPath,
      [
        mainScript,
        `--kubeconfig=${lab.kubeconfigPath}`,
        `--node-name=${nodeName}`,
        `--data-dir=${join(dataDir, nodeName)}`,
        // The lab node's serving certificate is valid for 127.0.0.1, which is all this one needs.
        `--serving-cert=${join(pki, "kubelet-lab-node-1-serving.crt")}`,
        `--serving-key=${join(pki, "kubelet-lab-node-1-serving.key")}`,
        `--client-ca=${lab.caPath}`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    sims.push(sim);
    await new Promise<void>((resolve, reject) => {
      sim.stdout?.once("data", () => resolve());
      sim.once("exit", (code) => reject(new Error(`kubelet-sim exited with ${code} before it was ready`)));
    });
    return sim;
  }

  async function runPinnedPod(nodeName: string, marker: string) {
    const name = `pinned-${randomBytes(2).toString("hex")}`;
    // Two processes: the container's PID 1 and a background child, both must go.
    await core.createNamespacedPod({ namespace: ns.name, body: shellPod(name, `sleep ${marker}1 & sleep ${marker}2`, { spec: { nodeName } }) });
    await podUntil(ns.name, name, "the pinned pod to run", (pod) => (pod.status?.phase === "Running" ? true : undefined));
    await eventually("both container processes to exist", async () => (processesMatching(`^sleep ${marker}`).split("\n").length === 2 ? true : undefined));
    return name;
  }

  const cleanUpNode = async (nodeName: string, podName: string) => {
    await core.deleteNamespacedPod({ name: podName, namespace: ns.name, gracePeriodSeconds: 0 }).catch(() => {});
    await core.deleteNode({ name: nodeName }).catch(() => {});
  };

  it("SIGTERM: the sim kills its containers and exits 0", async () => {
    const nodeName = `cleanup-term-${randomBytes(2).toString("hex")}`;
    const marker = String(4000 + Math.floor(Math.random() * 900));
    const sim = await startSim(nodeName);
    const pod = await runPinnedPod(nodeName, marker);
    const exited = new Promise<number | null>((resolve) => sim.once("exit", (code) => resolve(code)));
    sim.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(processesMatching(`^sleep ${marker}`)).toBe("");
    // A clean stop leaves no cgroup behind either.
    const cgroups = await detectMemoryCgroups(nodeName);
    if (cgroups) {
      expect(existsSync(join(cgroups.base, `kubelet-sim-${nodeName}-${sim.pid}`))).toBe(false);
      await cgroups.dispose();
    }
    await cleanUpNode(nodeName, pod);
  });

  it("SIGKILL: the containers die with the sim (parent-death signal, PID namespace)", async () => {
    const nodeName = `cleanup-kill-${randomBytes(2).toString("hex")}`;
    const marker = String(5000 + Math.floor(Math.random() * 900));
    const sim = await startSim(nodeName);
    const pod = await runPinnedPod(nodeName, marker);
    sim.kill("SIGKILL");
    await eventually("the container processes to be gone", async () => (processesMatching(`^sleep ${marker}`) === "" ? true : undefined), 10_000);
    await cleanUpNode(nodeName, pod);
    // A killed sim cannot remove its container cgroups; the next sim on the machine sweeps them (as here).
    const cgroups = await detectMemoryCgroups(nodeName);
    if (cgroups) {
      const killedSimRoot = join(cgroups.base, `kubelet-sim-${nodeName}-${sim.pid}`);
      expect(existsSync(killedSimRoot)).toBe(true);
      expect(await sweepStaleCgroups(cgroups)).toBeGreaterThanOrEqual(1);
      expect(existsSync(killedSimRoot)).toBe(false);
      await cgroups.dispose();
    }
  });
});
