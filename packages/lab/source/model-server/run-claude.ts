import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

// Runs the real Claude Code CLI (the devDependency) against a model server, isolated: its
// own HOME and CLAUDE_CONFIG_DIR, so the machine's ~/.claude is never read or written, and
// a minimal environment, so no ANTHROPIC_* variable of the caller leaks in.

export type RunClaudeOptions = {
  /** The model server's url (ANTHROPIC_BASE_URL). */
  baseUrl: string;
  /** Sent on stdin (`--print -`). */
  prompt: string;
  /** Extra CLI arguments, e.g. ["--settings", json]. */
  args?: string[];
  /** A HOME to use (and keep); default: a fresh temp dir, removed afterwards. */
  home?: string;
  /** Working directory; default `<home>/work`. */
  cwd?: string;
  /** Extra environment, applied last. */
  env?: Record<string, string>;
  /** Kill the CLI after this long (default 120 s); `timedOut` tells. */
  timeoutMs?: number;
};

export type ClaudeRun = {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** stdout's stream-json lines, parsed. */
  events: Array<Record<string, unknown>>;
  /** The final `result` event, if any. */
  result: Record<string, unknown> | undefined;
  home: string;
  cwd: string;
};

/** Path of the `claude` binary from @anthropic-ai/claude-code (native executable). */
export function claudeBinary(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@anthropic-ai/claude-code/package.json")), "bin", "claude.exe");
}

function parseLines(stdout: string): Array<Record<string, unknown>> {
  const events: Array<Record<string, unknown>> = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      events.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A line cut by a kill is not an event; the raw stdout is still in the result.
    }
  }
  return events;
}

export async function runClaude(options: RunClaudeOptions): Promise<ClaudeRun> {
  const ownHome = options.home === undefined;
  const home = options.home ?? mkdtempSync(join(tmpdir(), "claude-run-"));
  const cwd = options.cwd ?? join(home, "work");
  mkdirSync(cwd, { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, ".claude"),
    ANTHROPIC_BASE_URL: options.baseUrl,
    ANTHROPIC_API_KEY: "sk-ant-scripted",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_AUTOUPDATER: "1",
    // One retry: a scripted 401 ends in about a second instead of minutes of backoff.
    CLAUDE_CODE_MAX_RETRIES: "1",
    // --dangerously-skip-permissions is refused as root without it (CI runs as root).
    IS_SANDBOX: "1",
    ...options.env,
  };
  const args = ["--print", "-", "--output-format", "stream-json", "--verbose", "--dangerously-skip-permissions", ...(options.args ?? [])];
  try {
    return await new Promise<ClaudeRun>((resolve, reject) => {
      const child = spawn(claudeBinary(), args, { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      let timedOut = false;
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, options.timeoutMs ?? 120_000);
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(new Error(`runClaude: could not start ${claudeBinary()}: ${error.message}`));
      });
      child.on("close", (exitCode, signal) => {
        clearTimeout(timer);
        const events = parseLines(stdout);
        const result = events.findLast((event) => event.type === "result");
        resolve({ exitCode, signal, timedOut, stdout, stderr, events, result, home, cwd });
      });
      child.stdin.end(options.prompt);
    });
  } finally {
    if (ownHome) rmSync(home, { recursive: true, force: true });
  }
}
