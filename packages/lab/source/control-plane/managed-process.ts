import { spawn } from "node:child_process";
import { appendFileSync, closeSync, openSync, readFileSync } from "node:fs";

export type ProcessExit = { code: number | null; signal: NodeJS.Signals | null };

export type ManagedProcess = {
  name: string;
  pid: number;
  logPath: string;
  /** Settles when the process has exited, for whatever reason. */
  exited: Promise<ProcessExit>;
  isRunning(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<ProcessExit>;
  /** The last lines of its log, for error messages. */
  logTail(lines?: number): string;
};

export type StartProcessOptions = {
  name: string;
  command: string;
  args: readonly string[];
  logPath: string;
  env?: NodeJS.ProcessEnv;
};

/**
 * Starts a long-running lab component with its output appended to `logPath`.
 *
 * It runs under `setpriv --pdeathsig KILL` so the kernel kills it when the process that
 * started it dies, even by SIGKILL or a crashed test runner: a lab never outlives its
 * owner. It gets its own process group so a terminal's Ctrl-C reaches only the owner,
 * which then stops the components in order.
 */
export function startProcess(options: StartProcessOptions): ManagedProcess {
  const logFd = openSync(options.logPath, "a");
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn("setpriv", ["--pdeathsig", "KILL", "--", options.command, ...options.args], {
      stdio: ["ignore", logFd, logFd],
      detached: true,
      env: options.env ?? process.env,
    });
  } finally {
    closeSync(logFd);
  }
  let exit: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.on("error", (error) => {
      const reason =
        (error as NodeJS.ErrnoException).code === "ENOENT"
          ? "setpriv is missing (Debian: apt-get install util-linux)"
          : error.message;
      // The log is where callers look when a component dies; put the reason there too.
      appendFileSync(options.logPath, `lab: could not start ${options.name}: ${reason}\n`);
      exit = { code: 127, signal: null };
      resolve(exit);
    });
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  const logTail = (lines = 30) => {
    try {
      return readFileSync(options.logPath, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log written)";
    }
  };
  return {
    name: options.name,
    pid: child.pid ?? -1,
    logPath: options.logPath,
    exited,
    isRunning: () => exit === undefined,
    logTail,
    async stop(graceMs = 10_000) {
      if (exit) return exit;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
