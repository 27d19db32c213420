import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RunningContainer, startContainer } from "./container-process.ts";
import { detectMemoryCgroups } from "./memory-cgroup.ts";
import { wrapperScript } from "./wrapper-script.ts";

// Real processes in real namespaces (needs root and util-linux), no cluster.

let dir: string;
const started: RunningContainer[] = [];
const disposals: Array<() => Promise<void>> = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "container-process-"));
  // The mount point must be reachable by uid 1000 (mkdtemp makes 0700 directories).
  chmodSync(dir, 0o755);
});
afterEach(async () => {
  for (const container of started.splice(0)) {
    container.kill();
    await container.exited;
  }
  for (const dispose of disposals.splice(0)) await dispose();
  rmSync(dir, { recursive: true, force: true });
});

const env = { PATH: "/usr/local/bin:/usr/bin:/bin" };

async function run(
  argv: string[],
  extra: { uid?: number; mounts?: Parameters<typeof wrapperScript>[0]["mounts"]; memoryLimitBytes?: number; cgroupName?: string; env?: Record<string, string> } = {},
) {
  const cgroups = extra.cgroupName ? await detectMemoryCgroups("test") : undefined;
  const cgroup = cgroups && extra.cgroupName ? await cgroups.create(extra.cgroupName, extra.memoryLimitBytes) : undefined;
  if (cgroups) disposals.push(() => cgroups.dispose());
  const container = await startContainer({
    script: wrapperScript({
      description: "test",
      mounts: extra.mounts ?? [],
      cgroupProcsPath: cgroup?.procsPath,
      workingDir: "/",
      uid: extra.uid ?? 0,
      gid: extra.uid ?? 0,
      supplementalGroups: [],
    }),
    scriptPath: join(dir, `wrapper-${started.length}.sh`),
    argv,
    env: extra.env ?? env,
    logPath: join(dir, `log-${started.length}`),
    cgroup,
    memoryLimitBytes: extra.memoryLimitBytes,
  });
  started.push(container);
  return container;
}

const output = async (container: RunningContainer) => {
  let text = "";
  for await (const chunk of container.log.read({ follow: false, previous: false, timestamps: false })) text += chunk;
  return text;
};

describe("startContainer", () => {
  it("runs the command with stdout and stderr in the log and reports its exit code", async () => {
    const container = await run(["sh", "-c", "echo out; echo err >&2; exit 3"]);
    expect(await container.exited).toMatchObject({ exitCode: 3, reason: "Error" });
    expect((await output(container)).split("\n").sort()).toEqual(["", "err", "out"]);
  });

  it("runs as the pod's user with the volumes mounted read-only where asked", async () => {
    const source = join(dir, "secret");
    mkdirSync(source);
    writeFileSync(join(source, "token"), "s3cret");
    const target = join(dir, "mnt", "secret");
    const container = await run(["sh", "-c", `id -u; cat ${target}/token; touch ${target}/x 2>/dev/null || echo read-only`], {
      uid: 1000,
      mounts: [{ source, target, readOnly: true, kind: "directory" }],
    });
    expect(await container.exited).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(await output(container)).toBe("1000\ns3cretread-only\n");
  });

  it("reports a missing executable as StartError, like a runtime", async () => {
    const container = await run(["no-such-command-here"]);
    expect(await container.exited).toMatchObject({
      exitCode: 128,
      reason: "StartError",
      message: 'exec: "no-such-command-here": executable file not found in $PATH',
    });
  });

  it("reports an executable the pod's user cannot reach as StartError, naming the uid and the path", async () => {
    const hidden = join(dir, "private", "bin");
    mkdirSync(hidden, { recursive: true });
    chmodSync(join(dir, "private"), 0o700);
    writeFileSync(join(hidden, "agent"), "#!/bin/sh\necho ran\n", { mode: 0o755 });
    const container = await run(["agent"], { uid: 1000, env: { PATH: `${hidden}:/usr/bin:/bin` } });
    expect(await container.exited).toMatchObject({
      exitCode: 128,
      reason: "StartError",
      message: `exec: "agent": permission denied: uid 1000 cannot execute ${hidden}/agent (a directory on its way that uid 1000 cannot search, or no execute permission)`,
    });
    // Root reaches it: the same container as uid 0 runs.
    const asRoot = await run(["agent"], { env: { PATH: `${hidden}:/usr/bin:/bin` } });
    expect(await asRoot.exited).toMatchObject({ exitCode: 0, reason: "Completed" });
  });

  it("SIGTERM reaches a handler; SIGKILL ends the whole namespace", async () => {
    const marker = join(dir, "ready");
    const polite = await run(["sh", "-c", `trap 'echo bye; exit 7' TERM; touch ${marker}; while :; do sleep 0.05; done`]);
    while (!existsSync(marker)) await new Promise((r) => setTimeout(r, 20));
    polite.terminate();
    expect(await polite.exited).toMatchObject({ exitCode: 7 });
    expect(await output(polite)).toContain("bye");

    const stubborn = await run(["sh", "-c", "sleep 300 & sleep 301"]);
    await new Promise((r) => setTimeout(r, 200));
    stubborn.kill();
    expect(await stubborn.exited).toMatchObject({ exitCode: 137, reason: "Error" });
    const survivors = execFileSync("sh", ["-c", "pgrep -f 'sleep 30[01]' || true"], { encoding: "utf8" });
    expect(survivors.trim()).toBe("");
  });

  it("without a cgroup, polls RSS and kills a container over its limit as OOMKilled", async () => {
    const container = await run([process.execPath, "-e", "const a=[]; for(;;) { a.push(Buffer.alloc(1<<20, 1)); }"], {
      memoryLimitBytes: 128 * 2 ** 20,
    });
    expect(await container.exited).toMatchObject({ exitCode: 137, reason: "OOMKilled" });
  });

  it("OOM-kills a container over its memory limit", async () => {
    const container = await run([process.execPath, "-e", "const a=[]; for(;;) a.push(Buffer.alloc(1<<20, 1))"], {
      memoryLimitBytes: 64 * 2 ** 20,
      cgroupName: `oom-${process.pid}`,
    });
    expect(await container.exited).toMatchObject({ exitCode: 137, reason: "OOMKilled" });
  });
});
