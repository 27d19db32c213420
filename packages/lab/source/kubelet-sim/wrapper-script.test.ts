import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellQuote, wrapperScript } from "./wrapper-script.ts";

describe("shellQuote", () => {
  it.each(["plain", "it's", "$(rm -rf /)", "a\nb", "`x` \"y\" \\z"])("round-trips %j through sh", (value) => {
    expect(execFileSync("sh", ["-c", `printf %s ${shellQuote(value)}`], { encoding: "utf8" })).toBe(value);
  });
});

describe("wrapperScript", () => {
  const script = wrapperScript({
    description: "team/run-1 container main",
    mounts: [
      { source: "/lab/pvc/team/work", target: "/paperclip", readOnly: false, kind: "directory" },
      { source: "/lab/pods/u/volumes/secret/prompt", target: "/tmp/it's prompt", readOnly: true, kind: "directory" },
    ],
    cgroupProcsPath: "/sys/fs/cgroup/memory/sim/u-main/cgroup.procs",
    workingDir: "/paperclip",
    uid: 1000,
    gid: 1000,
    supplementalGroups: [],
  });

  it("joins the cgroup, then mounts, then execs the command as the pod's user", () => {
    const lines = script.split("\n");
    const at = (prefix: string) => lines.findIndex((line) => line.startsWith(prefix));
    expect(at("echo 0 > '/sys/fs/cgroup/memory/sim/u-main/cgroup.procs'")).toBeGreaterThan(0);
    expect(lines).toContain("bind_volume '/lab/pvc/team/work' '/paperclip' rw");
    expect(lines).toContain(`bind_volume '/lab/pods/u/volumes/secret/prompt' '/tmp/it'\\''s prompt' ro`);
    expect(at("exec setpriv")).toBeGreaterThan(at("bind_volume '/lab/pods"));
    expect(lines.at(-2)).toBe('exec setpriv --reuid=1000 --regid=1000 --clear-groups --pdeathsig KILL -- "$@"');
  });

  it("is valid sh", () => {
    expect(() => execFileSync("sh", ["-n"], { input: script })).not.toThrow();
  });

  it("checks as the pod's user that it can execute what root found on PATH (root needs no check)", () => {
    const check = script.split("\n").find((line) => line.startsWith('case "$resolved"'));
    expect(check).toContain('setpriv --reuid=1000 --regid=1000 --clear-groups -- test -x "$resolved" || setup_failed');
    const asRoot = wrapperScript({ description: "x", mounts: [], workingDir: "/", uid: 0, gid: 0, supplementalGroups: [] });
    expect(asRoot).not.toContain('case "$resolved"');
  });

  it("lists supplemental groups once each", () => {
    const withGroups = wrapperScript({ description: "x", mounts: [], workingDir: "/", uid: 0, gid: 0, supplementalGroups: [5, 2000, 5] });
    expect(withGroups).toContain("--groups=5,2000 ");
  });
});
