#!/usr/bin/env node
// capture-fixtures OUTDIR [NAME...]: records real Claude Code transcripts for stream-parser's
// fixtures. Each scenario runs the pinned CLI (this package's devDependency) against the
// scripted model server on loopback and writes NAME.jsonl (stdout), NAME.exit and, when the CLI
// wrote any, NAME.stderr. Temporary HOME and working directory paths are rewritten to the pod's
// (/paperclip, /paperclip/workspace), so a recapture diffs cleanly against the last one.
//
// The API-failure scenarios keep the CLI's default ten retries with backoff, as a pod does:
// each takes minutes. The PostToolUse-hook and 300-turn recordings are not scripted here.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiError, type ClaudeRun, dropStream, emptyReply, hang, runClaude, type Step, startModelServer, text, toolUse } from "../model-server/index.ts";

/** A session id that no HOME of ours holds. */
const MISSING_SESSION = "6f1c8c8e-1111-4222-8333-444455556666";

type Scenario = {
  /** Runs the CLI once or more in `home`; returns the run to record. */
  run: (home: string) => Promise<ClaudeRun>;
  /** What it shows, for the summary line. */
  about: string;
};

async function withServer(script: Step[] | ((body: unknown, index: number) => Step | undefined), fn: (url: string) => Promise<ClaudeRun>): Promise<ClaudeRun> {
  const server = await startModelServer({ script: script as Step[] });
  try {
    return await fn(server.url);
  } finally {
    await server.close();
  }
}

const inPod = (home: string) => ({ home, cwd: join(home, "workspace") });

/** A PostToolUse hook that keeps Bash's shape and cuts its stdout to 500 bytes plus a marker. */
const CUT_STDOUT_HOOK = `node -e 'let input = ""; process.stdin.on("data", (d) => (input += d)).on("end", () => { const event = JSON.parse(input); const stdout = String(event.tool_response.stdout).slice(0, 500) + "\\n[cut by hook]"; process.stdout.write(JSON.stringify({ hookSpecificOutput: { hookEventName: "PostToolUse", updatedToolOutput: { ...event.tool_response, stdout } } })); })'`;

const scenarios: Record<string, Scenario> = {
  "text-only": {
    about: "one answer, no tools",
    run: (home) => withServer([text("All done: the task is complete.")], (baseUrl) => runClaude({ baseUrl, prompt: "Say you are done.", ...inPod(home) })),
  },
  "write-read": {
    about: "Write then Read of a UTF-8 file, then an answer",
    run: (home) =>
      withServer(
        [
          toolUse("Write", { file_path: join(home, "workspace", "notes.txt"), content: "größe: 3 — ✓\n" }),
          toolUse("Read", { file_path: join(home, "workspace", "notes.txt") }),
          text("All done: the task is complete."),
        ],
        (baseUrl) => runClaude({ baseUrl, prompt: "Write notes.txt, then read it back.", ...inPod(home) }),
      ),
  },
  "max-turns": {
    about: "--max-turns 1 with a model that keeps calling tools",
    run: (home) =>
      withServer([toolUse("Bash", { command: "echo again" }, { repeat: "forever" })], (baseUrl) =>
        runClaude({ baseUrl, prompt: "Keep going.", args: ["--max-turns", "1"], ...inPod(home) }),
      ),
  },
  "resume-first": {
    about: "a session in a HOME that resume-second then resumes",
    run: (home) => withServer([text("First run: noted.")], (baseUrl) => runClaude({ baseUrl, prompt: "Remember the word teal.", ...inPod(home) })),
  },
  "resume-second": {
    about: "--resume of resume-first's session, same HOME and cwd",
    run: async (home) => {
      const first = await withServer([text("First run: noted.")], (baseUrl) => runClaude({ baseUrl, prompt: "Remember the word teal.", ...inPod(home) }));
      const sessionId = String(first.result?.session_id ?? "");
      return withServer([text("The word was teal.")], (baseUrl) => runClaude({ baseUrl, prompt: "Which word?", args: ["--resume", sessionId], ...inPod(home) }));
    },
  },
  "resume-unknown": {
    about: "--resume of a session id this HOME never held, with CLAUDE_CODE_STARTUP_FAILURE_RESULTS=1 as in the pod",
    run: (home) =>
      withServer([text("unused")], (baseUrl) =>
        runClaude({ baseUrl, prompt: "Continue.", args: ["--resume", MISSING_SESSION], env: { CLAUDE_CODE_STARTUP_FAILURE_RESULTS: "1" }, ...inPod(home) }),
      ),
  },
  "sideload-disabled": {
    about: "managed settings set disableSideloadFlags and the launch passes --mcp-config",
    run: (home) =>
      withServer([text("unused")], (baseUrl) =>
        runClaude({
          baseUrl,
          prompt: "Continue.",
          args: ["--managed-settings", JSON.stringify({ disableSideloadFlags: true }), "--mcp-config", JSON.stringify({ mcpServers: { paperclip: { command: "true" } } })],
          env: { CLAUDE_CODE_STARTUP_FAILURE_RESULTS: "1" },
          ...inPod(home),
        }),
      ),
  },
  "tool-then-text": {
    about: "three Bash calls with ~20 KB outputs each, then an answer",
    run: (home) =>
      withServer(
        [
          ...[1, 2, 3].map((n) => toolUse("Bash", { command: "seq 1 3334", description: "print numbers" }, { id: `toolu_${n}`, text: "Running Bash." })),
          text("All done: the task is complete."),
        ],
        (baseUrl) => runClaude({ baseUrl, prompt: "Count three times.", ...inPod(home) }),
      ),
  },
  "not-logged-in": {
    about: "no API key at all",
    run: (home) => withServer([text("unused")], (baseUrl) => runClaude({ baseUrl, prompt: "Answer.", env: { ANTHROPIC_API_KEY: "" }, ...inPod(home) })),
  },
  ...apiFailure("auth-401", "the API answers 401", apiError(401, { repeat: "forever" })),
  ...apiFailure("rate-429", "the API answers 429 with retry-after 1 s", apiError(429, { retryAfterSeconds: 1, repeat: "forever" })),
  ...apiFailure("overloaded-529", "the API answers 529", apiError(529, { repeat: "forever" })),
  ...apiFailure("server-500", "the API answers 500", apiError(500, { repeat: "forever" })),
  ...apiFailure("connection-reset", "the API drops the stream mid-answer", dropStream({ repeat: "forever" })),
  "killed-mid-run": {
    about: "SIGKILLed while waiting on the model, after one tool call",
    run: (home) =>
      withServer([toolUse("Bash", { command: "echo working", description: "echo" }, { id: "toolu_1", text: "Running Bash." }), hang()], (baseUrl) => runClaude({ baseUrl, prompt: "Work.", timeoutMs: 40_000, ...inPod(home) })),
  },
  "posttooluse-updated-output": {
    about: "a PostToolUse hook replaces Bash's stdout (first 500 bytes and a marker) through updatedToolOutput",
    run: (home) =>
      withServer(
        [toolUse("Bash", { command: "seq 1 3334", description: "print numbers" }, { id: "toolu_1", text: "Running Bash." }), text("All done: the task is complete.")],
        (baseUrl) => runClaude({ baseUrl, prompt: "Count.", args: ["--settings", JSON.stringify({ hooks: { PostToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: CUT_STDOUT_HOOK }] }] } })], ...inPod(home) }),
      ),
  },
  empty: {
    about: "the API answers with no content and output_tokens 0",
    run: (home) => withServer([emptyReply({ repeat: "forever" })], (baseUrl) => runClaude({ baseUrl, prompt: "Answer.", ...inPod(home) })),
  },
};

/** A run whose every model request fails the same way, with the CLI's default retries (CLAUDE_CODE_MAX_RETRIES unset). */
function apiFailure(name: string, about: string, step: Step): Record<string, Scenario> {
  return {
    [name]: {
      about: `${about}: ten retries, then the result`,
      run: (home) => withServer([step], (baseUrl) => runClaude({ baseUrl, prompt: "Answer.", env: { CLAUDE_CODE_MAX_RETRIES: "10" }, timeoutMs: 900_000, ...inPod(home) })),
    },
  };
}

/** The temporary paths as the pod has them; longest first so the workspace wins over HOME. */
function toPodPaths(text: string, home: string): string {
  return text.split(join(home, "workspace")).join("/paperclip/workspace").split(home).join("/paperclip");
}

async function main(argv: string[]): Promise<number> {
  const [outDir, ...names] = argv;
  if (!outDir || outDir.startsWith("-")) {
    console.error(`usage: capture-fixtures OUTDIR [NAME...]\n  names: ${Object.keys(scenarios).join(", ")}`);
    return 2;
  }
  const unknown = names.filter((name) => !(name in scenarios));
  if (unknown.length > 0) {
    console.error(`capture-fixtures: no scenario ${unknown.join(", ")}; known: ${Object.keys(scenarios).join(", ")}`);
    return 2;
  }
  mkdirSync(outDir, { recursive: true });
  for (const name of names.length > 0 ? names : Object.keys(scenarios)) {
    const home = mkdtempSync(join(tmpdir(), "capture-"));
    try {
      mkdirSync(join(home, "workspace"), { recursive: true });
      const run = await scenarios[name]!.run(home);
      writeFileSync(join(outDir, `${name}.jsonl`), toPodPaths(run.stdout, home));
      writeFileSync(join(outDir, `${name}.exit`), `${run.exitCode ?? (run.signal === "SIGKILL" ? 137 : 1)}\n`);
      if (run.stderr.trim()) writeFileSync(join(outDir, `${name}.stderr`), toPodPaths(run.stderr, home));
      console.error(`${name}: exit ${run.exitCode}, ${run.events.length} events (${scenarios[name]!.about})`);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
