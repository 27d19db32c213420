/**
 * The result tap: a small node program that runs claude in the container, passes its stdout
 * through unchanged (the log the runtime follows), and writes claude's last stream-json
 * `result` event to the container's termination message file on any exit.
 *
 * Why: the kubelet fills the termination message from the log only when the container
 * fails (FallbackToLogsOnError). A successful run whose log stream lost its end would have
 * no result anywhere, and be reported as truncated, with no usage and no session; Paperclip
 * would then retry it and repeat its side effects. With the tap, the result reaches the pod
 * status whatever the log does.
 *
 * The message is limited to 4096 bytes, so the event is shrunk to what outcome, usage and
 * session need: the result text is cut first, then the per-model usage, error texts last.
 * claude's exit status is kept (a signal as 128 + its number); SIGTERM/SIGINT/SIGHUP are
 * passed on to claude. The program travels in the run's Secret (no image change) and runs
 * only where `node` is on PATH; without node claude runs as before, untapped.
 *
 * Plain JavaScript in a string: the manifest package ships the text, never runs it.
 */
export const RESULT_TAP_FILE = "claude-k8s-result-tap.mjs";

/** The container's termination message file (the Kubernetes default path, set explicitly). */
export const TERMINATION_MESSAGE_PATH = "/dev/termination-log";

/** The kubelet's limit on a termination message, in bytes. */
export const TERMINATION_MESSAGE_LIMIT = 4096;

export const RESULT_TAP_PROGRAM = String.raw`// claude-k8s result tap (see @claude-k8s/manifest, result-tap.ts).
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { constants } from "node:os";

const [messagePath, program, ...args] = process.argv.slice(2);
const LIMIT = ${TERMINATION_MESSAGE_LIMIT};
// A result line longer than this is not kept (the log still has it).
const MAX_LINE = 16 * 1024 * 1024;
const KEEP = ["type", "subtype", "is_error", "session_id", "uuid", "duration_ms", "duration_api_ms", "num_turns", "total_cost_usd", "usage", "terminal_reason", "stop_reason", "api_error_status", "api_error_type", "api_error", "errors", "permission_denials", "modelUsage"];

let parts = [];
let size = 0;
let last;

function endLine() {
  if (size > 0 && size <= MAX_LINE) {
    const line = Buffer.concat(parts, size).toString("utf8");
    if (line.includes('"result"')) {
      try {
        const event = JSON.parse(line);
        if (event !== null && typeof event === "object" && event.type === "result") last = event;
      } catch {}
    }
  }
  parts = [];
  size = 0;
}

function scan(chunk) {
  let start = 0;
  for (;;) {
    const newline = chunk.indexOf(10, start);
    const end = newline === -1 ? chunk.length : newline;
    if (end > start) {
      size += end - start;
      if (size <= MAX_LINE) parts.push(chunk.subarray(start, end));
    }
    if (newline === -1) return;
    endLine();
    start = newline + 1;
  }
}

function fits(value) {
  const text = JSON.stringify(value);
  return Buffer.byteLength(text) < LIMIT ? text : undefined;
}

function shrink(event) {
  const kept = {};
  for (const key of KEEP) if (event[key] !== undefined) kept[key] = event[key];
  const text = typeof event.result === "string" ? event.result : undefined;
  const whole = fits(text === undefined ? kept : { ...kept, result: text });
  if (whole !== undefined) return whole;
  delete kept.modelUsage;
  delete kept.permission_denials;
  if (Array.isArray(kept.errors)) kept.errors = kept.errors.slice(-3).map((error) => (typeof error === "string" ? error.slice(0, 300) : String(error).slice(0, 300)));
  if (typeof kept.api_error === "string") kept.api_error = kept.api_error.slice(0, 300);
  let base = fits({ ...kept, result: "" });
  if (base === undefined) {
    const usage = {};
    for (const [key, value] of Object.entries(kept.usage ?? {})) if (typeof value === "number") usage[key] = value;
    for (const key of Object.keys(kept)) if (!["type", "subtype", "is_error", "session_id", "total_cost_usd", "num_turns", "terminal_reason", "api_error_status"].includes(key)) delete kept[key];
    kept.usage = usage;
    base = fits({ ...kept, result: "" });
    if (base === undefined) return undefined;
  }
  if (text === undefined) return fits(kept);
  let room = LIMIT - Buffer.byteLength(base) - 8;
  while (room > 0) {
    const line = fits({ ...kept, result: text.slice(0, room) + "…" });
    if (line !== undefined) return line;
    room = Math.floor(room * 0.8);
  }
  return base;
}

function writeMessage() {
  if (last === undefined || !messagePath) return;
  try {
    const line = shrink(last);
    if (line !== undefined) writeFileSync(messagePath, line + "\n");
  } catch (error) {
    process.stderr.write("claude-k8s result tap: could not write the termination message: " + error.message + "\n");
  }
}

if (!program) {
  process.stderr.write("claude-k8s result tap: usage: node tap.mjs MESSAGE_PATH PROGRAM [ARG...]\n");
  process.exit(2);
}

const child = spawn(program, args, { stdio: ["inherit", "pipe", "inherit"] });
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("error", (error) => {
  process.stderr.write(program + ": " + error.message + "\n");
  process.exit(error.code === "ENOENT" ? 127 : 126);
});
child.stdout.on("data", scan);
child.stdout.pipe(process.stdout);
// Nobody reads the log any more: keep draining claude so it never blocks on a full pipe.
process.stdout.on("error", () => {
  child.stdout.unpipe(process.stdout);
  child.stdout.resume();
});

let exited;
let drained = false;
const finish = () => {
  if (exited === undefined || !drained) return;
  if (size > 0) endLine();
  writeMessage();
  const [code, signal] = exited;
  process.exit(code ?? 128 + (constants.signals[signal] ?? 15));
};
child.stdout.on("end", () => {
  drained = true;
  finish();
});
child.on("exit", (code, signal) => {
  exited = [code, signal];
  // A process claude left behind may hold its stdout open: do not wait for it long.
  setTimeout(() => {
    drained = true;
    finish();
  }, 2000).unref();
  finish();
});
`;
