import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { ContainerLog } from "./container-log.ts";
import type { ContainerCgroup } from "./memory-cgroup.ts";
import { watchRss } from "./rss-watchdog.ts";

// One container instance as a local process tree:
//   setpriv --pdeathsig KILL            dies with kubelet-sim
//     unshare -m -p --fork --mount-proc  private mounts, its own PID namespace
//       sh wrapper (PID 1)              cgroup, bind mounts, cd, then exec:
//         setpriv --reuid ... command   the container's PID 1, as the pod's user
// Killing the container's PID 1 ends every process of the namespace; the cgroup (when
// there is one) is a second net for the kill and the OOM killer's accounting.

export type ContainerExit = {
  exitCode: number;
  /** Completed | Error | OOMKilled | StartError (the runtime could not start the command). */
  reason: "Completed" | "Error" | "OOMKilled" | "StartError";
  /** The runtime's message for StartError. */
  message?: string;
  finishedAt: Date;
};

export type StartContainerOptions = {
  /** The generated wrapper script (wrapper-script.ts), written to `scriptPath`. */
  script: string;
  scriptPath: string;
  argv: readonly string[];
  env: Record<string, string>;
  logPath: string;
  cgroup?: ContainerCgroup;
  /** Enforced by polling RSS when there is no cgroup. */
  memoryLimitBytes?: number;
};

export type RunningContainer = {
  log: ContainerLog;
  startedAt: Date;
  exited: Promise<ContainerExit>;
  /** SIGTERM to the container's PID 1 (ignored by a PID 1 without a handler, as in a real container). */
  terminate(): void;
  /** SIGKILL: the whole PID namespace ends. */
  kill(): void;
};

const maxRuntimeMessageBytes = 4096;

export async function startContainer(options: StartContainerOptions): Promise<RunningContainer> {
  await writeFile(options.scriptPath, options.script, { mode: 0o700 });
  const log = new ContainerLog(options.logPath);
  const child = spawn(
    "setpriv",
    [
      "--pdeathsig",
      "KILL",
      "--",
      "unshare",
      "--mount",
      "--pid",
      "--fork",
      "--kill-child",
      "--mount-proc",
      "--propagation",
      "private",
      "--",
      "/bin/sh",
      options.scriptPath,
      ...options.argv,
    ],
    { env: options.env, stdio: ["ignore", "pipe", "pipe", "pipe"] },
  );
  const startedAt = new Date();
  let runtimeMessage = "";
  let lastSignal: "SIGTERM" | "SIGKILL" | undefined;
  let rssExceeded = false;
  const [, stdout, runtime, stderr] = child.stdio;
  stdout?.on("data", (chunk: Buffer) => log.append(chunk));
  stderr?.on("data", (chunk: Buffer) => log.append(chunk));
  runtime?.on("data", (chunk: Buffer) => {
    if (runtimeMessage.length < maxRuntimeMessageBytes) runtimeMessage += chunk.toString("utf8");
  });

  /** The host pid of the namespace's PID 1 (the forked child of unshare). */
  const containerPid = async (): Promise<number | undefined> => {
    if (child.pid === undefined) return undefined;
    const text = await readFile(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").catch(() => "");
    const pid = Number(text.trim().split(" ")[0]);
    return pid > 0 ? pid : undefined;
  };
  const signal = async (name: "SIGTERM" | "SIGKILL") => {
    lastSignal = name;
    const pid = await containerPid();
    try {
      if (pid) process.kill(pid, name);
      else if (name === "SIGKILL") child.kill("SIGKILL");
    } catch {}
    if (name === "SIGKILL") {
      for (const leftover of (await options.cgroup?.pids()) ?? []) {
        try {
          process.kill(leftover, "SIGKILL");
        } catch {}
      }
    }
  };

  let stopWatchdog = () => {};
  if (!options.cgroup && options.memoryLimitBytes !== undefined && child.pid !== undefined) {
    stopWatchdog = watchRss({
      rootPid: child.pid,
      limitBytes: options.memoryLimitBytes,
      onExceeded: () => {
        rssExceeded = true;
        void signal("SIGKILL");
      },
    });
  }

  const exited = new Promise<ContainerExit>((resolve) => {
    let spawnError: Error | undefined;
    child.on("error", (error) => (spawnError = error));
    // "close", not "exit": every holder of the output pipes is gone, so the log is complete.
    child.on("close", async (code) => {
      stopWatchdog();
      log.close();
      const finishedAt = new Date();
      const oomKilled = rssExceeded || ((await options.cgroup?.oomKills()) ?? 0) > 0;
      await options.cgroup?.remove().catch(() => {});
      if (spawnError) {
        const missing = (spawnError as NodeJS.ErrnoException).code === "ENOENT";
        const message = missing ? "setpriv/unshare not found (Debian: apt-get install util-linux)" : spawnError.message;
        return resolve({ exitCode: 128, reason: "StartError", message, finishedAt });
      }
      // unshare reports a PID 1 killed by a signal as exit 1 plus a complaint on the
      // runtime channel; the signal was ours or the OOM killer's.
      const signalled = code === 1 && /^unshare:/m.test(runtimeMessage);
      if (oomKilled) return resolve({ exitCode: signalled ? 137 : (code ?? 137), reason: "OOMKilled", finishedAt });
      if (signalled || code === null) {
        return resolve({ exitCode: lastSignal === "SIGTERM" ? 143 : 137, reason: "Error", finishedAt });
      }
      if (code === 128 && runtimeMessage.trim()) {
        return resolve({ exitCode: 128, reason: "StartError", message: runtimeMessage.trim(), finishedAt });
      }
      resolve({ exitCode: code, reason: code === 0 ? "Completed" : "Error", finishedAt });
    });
  });

  return {
    log,
    startedAt,
    exited,
    terminate: () => void signal("SIGTERM"),
    kill: () => void signal("SIGKILL"),
  };
}
