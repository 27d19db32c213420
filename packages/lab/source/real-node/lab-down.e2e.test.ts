import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterAll, describe, expect, inject, it } from "vitest";
import { eventually } from "../test-support/lab-client.ts";
import { readLabState } from "../lab-state.ts";
import { busyboxImage } from "./node-images.ts";

// `lab up --node real`, a pod with a Secret volume running on it, then `lab down`: nothing
// of the node may be left on the machine. Starts a second, short-lived lab of its own.

const cli = new URL("../cli.ts", import.meta.url).pathname;
const isReal = inject("lab").node?.kind === "real";

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 600_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function sh(command: string, args: string[]): Promise<string> {
  return new Promise((resolve) => execFile(command, args, (_error, stdout) => resolve(stdout)));
}

/** What a node could leave behind, as seen from the machine. */
async function machineSnapshot(dir: string) {
  const processes = readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dir);
      } catch {
        return false;
      }
    });
  const mounts = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter((line) => line.includes(dir));
  const links = (await sh("ip", ["-o", "link", "show"])).split("\n").map((l) => l.split(":")[1]?.trim().split("@")[0] ?? "");
  const veths = (await sh("ip", ["-o", "link", "show", "type", "veth"])).split("\n").filter(Boolean).length;
  const cgroups = readdirSync("/sys/fs/cgroup").flatMap((h) => {
    try {
      return readdirSync(join("/sys/fs/cgroup", h)).filter((e) => e.startsWith("claude-k8s-lab-")).map((e) => `${h}/${e}`);
    } catch {
      return [];
    }
  });
  const iptables = existsSync("/usr/sbin/iptables-save") ? await sh("iptables-save", []) : "";
  return { processes, mounts, links, veths, cgroups, iptables };
}

describe.skipIf(!isReal)("lab down with the real node", () => {
  let dir = "";
  afterAll(async () => {
    if (!dir) return;
    await runCli(["down", "--dir", dir]);
    await rm(dir, { recursive: true, force: true });
  });

  it("leaves no process, mount, network namespace, veth, bridge, iptables rule or cgroup behind", async () => {
    dir = await mkdtemp(join(tmpdir(), "claude-k8s-lab-down-"));
    const before = await machineSnapshot(dir);
    const up = await runCli(["up", "--dir", dir, "--node", "real"]);
    expect(up.code, up.stderr + up.stdout).toBe(0);
    const state = readLabState(dir);
    const bridge = state?.node?.bridge ?? "";
    expect(bridge).toMatch(/^claudelab\d+$/);

    // A pod with a Secret volume (a tmpfs mount), its own network namespace and veth.
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(state?.kubeconfigPath ?? "");
    const core = kubeConfig.makeApiClient(CoreV1Api);
    await eventually("the default ServiceAccount", async () => Boolean(await core.readNamespacedServiceAccount({ name: "default", namespace: "default" })));
    await core.createNamespacedSecret({ namespace: "default", body: { metadata: { name: "s" }, stringData: { k: "v" } } });
    await core.createNamespacedPod({
      namespace: "default",
      body: {
        metadata: { name: "sleeper" },
        spec: {
          terminationGracePeriodSeconds: 1,
          volumes: [{ name: "s", secret: { secretName: "s" } }],
          containers: [{ name: "main", image: busyboxImage, command: ["sleep", "3600"], volumeMounts: [{ name: "s", mountPath: "/s" }] }],
        },
      },
    });
    await eventually(
      "the sleeper pod to run",
      async () => (await core.readNamespacedPod({ name: "sleeper", namespace: "default" })).status?.phase === "Running" || undefined,
      120_000,
    );
    const running = await machineSnapshot(dir);
    expect(running.processes.length).toBeGreaterThan(0);
    expect(running.mounts.length).toBeGreaterThan(0);
    expect(running.links).toContain(bridge);
    expect(running.veths).toBeGreaterThan(before.veths);
    expect(running.cgroups.length).toBeGreaterThan(before.cgroups.length);

    const down = await runCli(["down", "--dir", dir]);
    expect(down.code, down.stderr).toBe(0);
    const after = await machineSnapshot(dir);
    expect(after.processes).toEqual([]);
    expect(after.mounts).toEqual([]);
    expect(after.links).not.toContain(bridge);
    expect(after.veths).toBe(before.veths);
    expect(after.cgroups).toEqual(before.cgroups);
    expect(after.iptables.includes(bridge)).toBe(false);
    expect(existsSync(join(dir, "node"))).toBe(false);
  });
});
