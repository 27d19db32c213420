import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

// What a real node needs from this machine. Each missing thing is named with its fix; the
// lab never falls back to kubelet-sim on its own.

export type MachineFacts = {
  uid: number;
  filesystems: string;
  /** Mounted cgroup v1 controllers (directory names under /sys/fs/cgroup). */
  cgroupControllers: string[];
  commands: Record<string, boolean>;
};

const neededControllers = ["cpu", "cpuacct", "cpuset", "memory", "pids", "devices", "freezer"];
const neededCommands = ["ip", "tar", "ldd", "umount", "setpriv"];

export function readMachineFacts(): MachineFacts {
  const controllers = neededControllers.filter((c) => existsSync(join("/sys/fs/cgroup", c, "cgroup.procs")));
  const path = (process.env.PATH ?? "").split(":");
  const commands = Object.fromEntries(neededCommands.map((c) => [c, path.some((dir) => existsSync(join(dir, c)))]));
  return {
    uid: process.getuid?.() ?? -1,
    filesystems: readFileSync("/proc/filesystems", "utf8"),
    cgroupControllers: controllers,
    commands,
  };
}

/** The problems that stop a real node here, each with its fix; empty when it can run. */
export function realNodeProblems(facts: MachineFacts): string[] {
  const problems: string[] = [];
  if (facts.uid !== 0) problems.push("the real node runs containers with runc and needs root (run the lab as root, or use CLAUDE_K8S_LAB_NODE=sim)");
  if (!/\toverlay\n/.test(facts.filesystems)) problems.push("the kernel has no overlayfs (containerd's snapshotter): load it with `modprobe overlay`");
  const missing = neededControllers.filter((c) => !facts.cgroupControllers.includes(c));
  if (missing.length > 0) {
    problems.push(
      `cgroup v1 controllers not mounted under /sys/fs/cgroup: ${missing.join(", ")} (the kubelet's cgroupfs driver needs them; mount them, e.g. mount -t cgroup -o memory cgroup /sys/fs/cgroup/memory)`,
    );
  }
  for (const [command, present] of Object.entries(facts.commands)) {
    if (!present) problems.push(`\`${command}\` is missing (Debian: apt-get install ${command === "ip" ? "iproute2" : command === "ldd" ? "libc-bin" : command === "tar" ? "tar" : "util-linux"})`);
  }
  return problems;
}
