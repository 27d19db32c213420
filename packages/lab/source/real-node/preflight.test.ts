import { describe, expect, it } from "vitest";
import { type MachineFacts, realNodeProblems } from "./preflight.ts";

const good: MachineFacts = {
  uid: 0,
  filesystems: "nodev\tsysfs\nnodev\toverlay\n",
  cgroupControllers: ["cpu", "cpuacct", "cpuset", "memory", "pids", "devices", "freezer"],
  commands: { ip: true, tar: true, ldd: true, umount: true, setpriv: true },
};

describe("realNodeProblems", () => {
  it("finds none on a machine that has everything", () => {
    expect(realNodeProblems(good)).toEqual([]);
  });
  it("names each missing thing with its fix", () => {
    const problems = realNodeProblems({
      uid: 1000,
      filesystems: "nodev\tsysfs\n",
      cgroupControllers: ["cpu"],
      commands: { ...good.commands, ip: false },
    });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/root/);
    expect(problems[1]).toMatch(/overlayfs.*modprobe overlay/);
    expect(problems[2]).toMatch(/cgroup v1 controllers not mounted.*memory/);
    expect(problems[3]).toMatch(/`ip` is missing.*iproute2/);
  });
});
