import { existsSync, readdirSync, readFileSync, readlinkSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./exec.ts";
import { removeBridge } from "./node-network.ts";

// Taking a real node down so that nothing is left: container processes, containerd shims,
// mounts (overlay rootfs, tmpfs volumes, network-namespace bind mounts), pod cgroups, the
// bridge (veths die with their network namespaces), CNI cache files and the kubelet's
// /var/log/containers links. Works from the record alone, so `lab down` can clean up after
// an owner that died without stopping its node.

export type NodeRecord = {
  dir: string;
  bridge: string;
  cgroupRoot: string;
  containerdSocket: string;
  cniNetworkName: string;
  ctr: string;
  pids: { kubelet?: number; containerd?: number };
};

const cgroupBase = "/sys/fs/cgroup";

export const recordPath = (dir: string) => join(dir, "real-node.json");

export function writeNodeRecord(record: NodeRecord): void {
  writeFileSync(recordPath(record.dir), `${JSON.stringify(record, null, 2)}\n`);
}

export function readNodeRecord(dir: string): NodeRecord | undefined {
  try {
    return JSON.parse(readFileSync(recordPath(dir), "utf8")) as NodeRecord;
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

function kill(pid: number, signal: NodeJS.Signals = "SIGKILL"): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}

/** Directories of the node's cgroup subtree in every v1 hierarchy, deepest first. */
export function nodeCgroupDirs(cgroupRoot: string): string[] {
  const dirs: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
    } catch {
      return;
    }
    for (const entry of entries) walk(join(dir, entry));
    dirs.push(dir);
  };
  let hierarchies: string[] = [];
  try {
    hierarchies = readdirSync(cgroupBase);
  } catch {
    return [];
  }
  for (const hierarchy of hierarchies) {
    const top = join(cgroupBase, hierarchy, cgroupRoot);
    if (existsSync(top)) walk(top);
  }
  return dirs;
}

function processesIn(dirs: string[]): number[] {
  const pids = new Set<number>();
  for (const dir of dirs) {
    try {
      for (const line of readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n")) if (line) pids.add(Number(line));
    } catch {
      // removed meanwhile
    }
  }
  return [...pids];
}

/** Mount points at or under `dir` (from /proc/self/mountinfo), deepest first. */
export function mountsUnder(dir: string): string[] {
  const unescapeOctal = (s: string) => s.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
  const points = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => unescapeOctal(line.split(" ")[4] ?? ""))
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Shims of this node's containerd (their command line names its socket). */
function shimPids(socket: string): number[] {
  return readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => {
      const cmd = cmdline(pid);
      return cmd.includes("containerd-shim") && cmd.includes(socket);
    });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops the node's containers and daemons (if still running) and removes everything it
 * made. Returns what it had to remove by force, for the log.
 */
export async function cleanupNode(record: NodeRecord, options: { removeDir?: boolean } = {}): Promise<string[]> {
  const notes: string[] = [];
  // 1. The kubelet first, so it restarts nothing.
  const { kubelet, containerd } = record.pids;
  if (kubelet && cmdline(kubelet).includes("kubelet")) kill(kubelet, "SIGKILL");
  // 2. Every task, through containerd while it runs: shims exit cleanly and remove their sockets.
  if (containerd && cmdline(containerd).includes("containerd") && existsSync(record.containerdSocket)) {
    const ctr = (args: string[]) => run(record.ctr, ["--address", record.containerdSocket, "--namespace", "k8s.io", ...args], "stopping the node's containers", { timeoutMs: 20_000 });
    const tasks = await ctr(["tasks", "list", "--quiet"]).catch(() => "");
    for (const id of tasks.split("\n").filter(Boolean)) {
      await ctr(["tasks", "kill", "--signal", "SIGKILL", id]).catch(() => {});
    }
    for (const id of tasks.split("\n").filter(Boolean)) {
      for (let i = 0; i < 20; i++) {
        if (await ctr(["tasks", "delete", "--force", id]).then(() => true, () => false)) break;
        await sleep(100);
      }
    }
    kill(containerd, "SIGTERM");
    for (let i = 0; i < 50 && cmdline(containerd).includes("containerd"); i++) await sleep(100);
    if (cmdline(containerd).includes("containerd")) kill(containerd);
  }
  // 3. Whatever still runs in the pods' cgroups, and any shim left.
  const cgroups = nodeCgroupDirs(record.cgroupRoot);
  for (let i = 0; i < 50; i++) {
    const pids = [...processesIn(cgroups), ...shimPids(record.containerdSocket)];
    if (pids.length === 0) break;
    if (i === 0) notes.push(`killed ${pids.length} leftover container or shim processes`);
    for (const pid of pids) kill(pid);
    await sleep(100);
  }
  // 4. Mounts: overlay rootfs, tmpfs Secret volumes, netns bind mounts.
  const mounts = mountsUnder(record.dir);
  for (const point of mounts) {
    await run("umount", [point], `unmounting ${point}`).catch(() => run("umount", ["--lazy", point], `unmounting ${point}`).catch(() => {}));
  }
  if (mounts.length > 0) notes.push(`unmounted ${mounts.length} mounts`);
  // 5. The pod cgroups, deepest first (a cgroup with no processes can be removed).
  for (const dir of nodeCgroupDirs(record.cgroupRoot)) {
    try {
      rmdirSync(dir);
    } catch (error) {
      notes.push(`could not remove cgroup ${dir}: ${(error as Error).message}`);
    }
  }
  // 6. The bridge; the pods' veths went with their network namespaces.
  await removeBridge(record.bridge);
  // 7. Files outside the node dir: libcni's result cache and the kubelet's log links.
  for (const dir of ["/var/lib/cni/results"]) {
    try {
      for (const entry of readdirSync(dir)) if (entry.startsWith(`${record.cniNetworkName}-`)) rmSync(join(dir, entry), { force: true });
    } catch {
      // no cache
    }
  }
  try {
    for (const entry of readdirSync("/var/log/containers")) {
      const link = join("/var/log/containers", entry);
      try {
        if (readlinkSync(link).startsWith(`${record.dir}/`)) rmSync(link, { force: true });
      } catch {
        // not a link
      }
    }
  } catch {
    // no dir
  }
  if (options.removeDir !== false) rmSync(record.dir, { recursive: true, force: true });
  return notes;
}
