import { access, constants, mkdir, readFile, readdir, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

// One cgroup per container: it enforces the memory limit (the kernel OOM-kills inside it,
// which is what makes a container "OOMKilled") and it tracks every process the container
// starts. Works with cgroup v2 (memory.max, memory.events) and with the v1 memory
// controller (memory.limit_in_bytes, memory.oom_control), whichever this machine delegates.
// The cgroups live under the one kubelet-sim itself runs in, in a directory per sim
// process (kubelet-sim-<node>-<pid>): two labs on one machine never share one, and the
// directory of a sim that died is recognisable as stale by its pid.

export type ContainerCgroup = {
  /** Written by the wrapper script ("echo 0 > ...") to move itself in before exec. */
  procsPath: string;
  /** How many times the kernel OOM-killed a process of this cgroup. */
  oomKills(): Promise<number>;
  /** The pids still in it. */
  pids(): Promise<number[]>;
  /** Removes the cgroup once its processes are gone (retries for up to 2 s); ignores one already gone. */
  remove(): Promise<void>;
};

export type MemoryCgroups = {
  version: 1 | 2;
  /** The cgroup kubelet-sim runs in: the parent of every sim's directory. */
  base: string;
  /** The directory holding this sim's container cgroups. */
  root: string;
  create(name: string, memoryLimitBytes: number | undefined): Promise<ContainerCgroup>;
  /** Removes the node's directory once its containers' cgroups are gone. */
  dispose(): Promise<void>;
};

/** Finds a writable memory cgroup hierarchy, or undefined (the caller falls back to polling RSS). */
export async function detectMemoryCgroups(nodeName: string, ownerPid = process.pid): Promise<MemoryCgroups | undefined> {
  const own = await readFile("/proc/self/cgroup", "utf8").catch(() => "");
  const lines = own.split("\n").map((line) => line.split(":"));
  const v1 = lines.find((parts) => parts[1]?.split(",").includes("memory"));
  const v2 = lines.find((parts) => parts[0] === "0" && parts[1] === "");
  const candidates: Array<{ version: 1 | 2; base: string }> = [];
  if (v2) {
    for (const mountPoint of ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"]) {
      candidates.push({ version: 2, base: join(mountPoint, v2[2] ?? "") });
    }
  }
  if (v1) candidates.push({ version: 1, base: join("/sys/fs/cgroup/memory", v1[2] ?? "") });
  for (const candidate of candidates) {
    const root = join(candidate.base, `${rootPrefix}${nodeName}-${ownerPid}`);
    if (await usable(candidate.version, candidate.base, root)) return driver(candidate.version, candidate.base, root);
  }
  return undefined;
}

async function usable(version: 1 | 2, base: string, root: string): Promise<boolean> {
  try {
    if (version === 2) {
      const controllers = await readFile(join(base, "cgroup.controllers"), "utf8");
      if (!controllers.split(/\s+/).includes("memory")) return false;
    } else {
      await access(join(base, "memory.limit_in_bytes"), constants.R_OK);
    }
    await mkdir(root, { recursive: true });
    if (version === 2) {
      // Children of `root` need the memory controller; enabling it fails when `base` has
      // processes of its own and is not the root cgroup ("no internal processes").
      await writeFile(join(root, "cgroup.subtree_control"), "+memory");
    }
    return true;
  } catch {
    return false;
  }
}

const rootPrefix = "kubelet-sim-";

function driver(version: 1 | 2, base: string, root: string): MemoryCgroups {
  const limitFile = version === 2 ? "memory.max" : "memory.limit_in_bytes";
  return {
    version,
    base,
    root,
    dispose: () => rmdir(root).catch(() => {}),
    async create(name, memoryLimitBytes) {
      const dir = join(root, name);
      await mkdir(dir, { recursive: true });
      if (memoryLimitBytes !== undefined) {
        const bytes = String(Math.floor(memoryLimitBytes));
        await writeFile(join(dir, limitFile), bytes);
        // No swapping around the limit: a container over its limit is killed, not slowed.
        if (version === 2) await writeFile(join(dir, "memory.swap.max"), "0").catch(() => {});
        else await writeFile(join(dir, "memory.memsw.limit_in_bytes"), bytes).catch(() => {});
      }
      return {
        procsPath: join(dir, "cgroup.procs"),
        async oomKills() {
          const text = await readFile(join(dir, version === 2 ? "memory.events" : "memory.oom_control"), "utf8").catch(() => "");
          const match = /^oom_kill (\d+)$/m.exec(text);
          return match ? Number(match[1]) : 0;
        },
        async pids() {
          const text = await readFile(join(dir, "cgroup.procs"), "utf8").catch(() => "");
          return text.split("\n").filter(Boolean).map(Number);
        },
        remove: () => removeCgroupDir(dir),
      };
    },
  };
}

/**
 * Removes what sims that died without cleaning up (SIGKILL) left next to this one: kills
 * any process still in their container cgroups and removes the directories. Returns how
 * many container cgroups it removed.
 */
export async function sweepStaleCgroups(cgroups: MemoryCgroups): Promise<number> {
  let swept = 0;
  const siblings = await readdir(cgroups.base, { withFileTypes: true }).catch(() => []);
  for (const sibling of siblings) {
    const pid = Number(/^kubelet-sim-.+-(\d+)$/.exec(sibling.name)?.[1]);
    if (!sibling.isDirectory() || !pid || isRunning(pid)) continue;
    const dir = join(cgroups.base, sibling.name);
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (!entry.isDirectory()) continue;
      const container = join(dir, entry.name);
      const pids = (await readFile(join(container, "cgroup.procs"), "utf8").catch(() => "")).split("\n").filter(Boolean);
      for (const leftover of pids) {
        try {
          process.kill(Number(leftover), "SIGKILL");
        } catch {}
      }
      if (await removeCgroupDir(container).then(() => true, () => false)) swept++;
    }
    await removeCgroupDir(dir).catch(() => {});
  }
  return swept;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * rmdir of a cgroup, retried while it is busy: right after its last process exited the
 * kernel may still count it for a moment (EBUSY). A cgroup already gone is fine.
 */
async function removeCgroupDir(dir: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rmdir(dir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return;
      if (code !== "EBUSY" || attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
