import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildContainerCommand } from "./container-command.ts";
import { RESULT_TAP_PROGRAM, TERMINATION_MESSAGE_LIMIT } from "./result-tap.ts";
import { kubeletExpand } from "./test-utils/kubelet-expand.ts";

// The tap runs under the real node: a stand-in claude (node too) prints the given stdout and
// exits as told; the tap must pass stdout through byte for byte and leave the result event,
// shrunk to fit, in the termination message file.
let dir: string;
let tapFile: string;
let standIn: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "result-tap-"));
  tapFile = join(dir, "tap.mjs");
  writeFileSync(tapFile, RESULT_TAP_PROGRAM);
  standIn = join(dir, "claude.mjs");
  writeFileSync(
    standIn,
    'import { readFileSync } from "node:fs";\nprocess.stdout.write(readFileSync(process.env.OUT_FILE));\nconst stdin = readFileSync(0, "utf8");\nif (process.env.STDIN_OUT) (await import("node:fs")).writeFileSync(process.env.STDIN_OUT, stdin);\nif (process.env.KILL) process.kill(process.pid, process.env.KILL);\nelse process.exitCode = Number(process.env.EXIT_CODE ?? 0);\n',
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tap(stdout: string, options: { exitCode?: number; kill?: string; stdin?: string } = {}) {
  const outFile = join(dir, "out.txt");
  const messageFile = join(dir, "termination-log");
  writeFileSync(outFile, stdout);
  rmSync(messageFile, { force: true });
  const result = spawnSync(process.execPath, [tapFile, messageFile, process.execPath, standIn], {
    input: options.stdin ?? "",
    env: { OUT_FILE: outFile, EXIT_CODE: String(options.exitCode ?? 0), ...(options.kill ? { KILL: options.kill } : {}) },
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: result.status,
    stdout: result.stdout.toString("utf8"),
    message: existsSync(messageFile) ? readFileSync(messageFile, "utf8") : undefined,
  };
}

const resultEvent = (text: string, extra: Record<string, unknown> = {}) => ({
  type: "result",
  subtype: "success",
  is_error: false,
  session_id: "3f0c7a55-0d8e-4b1e-9a36-2c1f5f6e7a10",
  uuid: "9e1d3c0a-6a2b-4f5e-8c7d-1b2a3c4d5e6f",
  num_turns: 3,
  duration_ms: 1234,
  total_cost_usd: 0.0421,
  usage: { input_tokens: 1200, output_tokens: 345, cache_read_input_tokens: 10, cache_creation_input_tokens: 0 },
  result: text,
  ...extra,
});

describe("the result tap", () => {
  it("passes stdout through unchanged and writes the last result event to the termination message on success", () => {
    const lines = [
      JSON.stringify({ type: "system", subtype: "init", session_id: "s" }),
      JSON.stringify({ type: "assistant", message: { content: [{ type: "text", text: "a result of some kind" }] } }),
      JSON.stringify(resultEvent("first")),
      JSON.stringify(resultEvent("done")),
    ];
    const stdout = `${lines.join("\n")}\n`;
    const outcome = tap(stdout);
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toBe(stdout);
    expect(JSON.parse(outcome.message ?? "")).toEqual(resultEvent("done"));
  });

  it("keeps claude's exit status, and a signal as 128 + its number", () => {
    const stdout = `${JSON.stringify(resultEvent("x", { subtype: "error_max_turns", is_error: true }))}\n`;
    const failed = tap(stdout, { exitCode: 3 });
    expect(failed.status).toBe(3);
    expect(JSON.parse(failed.message ?? "")).toMatchObject({ subtype: "error_max_turns", is_error: true });
    expect(tap("", { kill: "SIGKILL" }).status).toBe(137);
  });

  it("writes nothing when there is no result event (the kubelet's log fallback then applies)", () => {
    const outcome = tap('{"type":"assistant"}\nplain text\n{"type":"result"', { exitCode: 1 });
    expect(outcome.status).toBe(1);
    expect(outcome.message).toBeUndefined();
  });

  it("reports 127 for a program that is not there", () => {
    const result = spawnSync(process.execPath, [tapFile, join(dir, "message"), join(dir, "no-such-claude")], { input: "" });
    expect(result.status).toBe(127);
  });

  it("shrinks a big result to fit 4096 bytes, keeping the fields outcome, usage and session need (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", minLength: 0, maxLength: 3000 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.string({ maxLength: 600 }), { maxLength: 8 }),
        (piece, repeat, errors) => {
          const text = piece.repeat(repeat * 3);
          const event = resultEvent(text, { errors, modelUsage: { "claude-sonnet-4-6": { inputTokens: 1200, outputTokens: 345, costUSD: 0.04 } } });
          const outcome = tap(`${JSON.stringify(event)}\n`);
          expect(outcome.status).toBe(0);
          const message = outcome.message ?? "";
          expect(Buffer.byteLength(message)).toBeLessThanOrEqual(TERMINATION_MESSAGE_LIMIT);
          const kept = JSON.parse(message);
          expect(kept).toMatchObject({ type: "result", subtype: "success", is_error: false, session_id: event.session_id, total_cost_usd: event.total_cost_usd, usage: event.usage, num_turns: 3 });
          const cut = kept.result.endsWith("…") && kept.result !== text ? kept.result.slice(0, -1) : kept.result;
          // A prefix of the text, unless the cut split a surrogate pair (then all but its last unit).
          expect(text.startsWith(cut) || text.startsWith(cut.slice(0, -1))).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe("the container command with the result tap", () => {
  it("runs claude through the tap where node is on PATH: same arguments, stdin and exit status, and the message written", () => {
    const promptFile = join(dir, "prompt.txt");
    const messageFile = join(dir, "tapped-message");
    writeFileSync(promptFile, "the prompt");
    rmSync(messageFile, { force: true });
    const outFile = join(dir, "out2.txt");
    writeFileSync(outFile, `${JSON.stringify(resultEvent("ok"))}\n`);
    const { command, args } = buildContainerCommand([process.execPath, standIn, "a'b", "$(HOME)"], promptFile, { programFile: tapFile, messagePath: messageFile });
    const full = [...command, ...args].map((part) => kubeletExpand(part, { HOME: "/home/expanded" }));
    const stdinOut = join(dir, "stdin-out");
    const nodeDir = process.execPath.slice(0, process.execPath.lastIndexOf("/"));
    const result = spawnSync("/bin/sh", full.slice(1), { env: { PATH: `${nodeDir}:/usr/bin:/bin`, OUT_FILE: outFile, EXIT_CODE: "4", STDIN_OUT: stdinOut } });
    expect(result.status).toBe(4);
    expect(readFileSync(stdinOut, "utf8")).toBe("the prompt");
    expect(JSON.parse(readFileSync(messageFile, "utf8"))).toMatchObject({ type: "result", result: "ok" });
  });

  it("runs claude untapped where there is no node", () => {
    const promptFile = join(dir, "prompt.txt");
    const messageFile = join(dir, "untapped-message");
    writeFileSync(promptFile, "the prompt");
    rmSync(messageFile, { force: true });
    // A PATH with a shell-script claude and no node: claude prints a result and exits 5.
    const bin = join(dir, "no-node-bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "claude"), `#!/bin/sh\necho '${JSON.stringify(resultEvent("ok"))}'\nexit 5\n`, { mode: 0o755 });
    const { command, args } = buildContainerCommand(["claude"], promptFile, { programFile: tapFile, messagePath: messageFile });
    const result = spawnSync("/bin/sh", [...command, ...args].map((part) => kubeletExpand(part, {})).slice(1), { env: { PATH: bin } });
    expect(result.status).toBe(5);
    expect(result.stdout.toString()).toContain('"type":"result"');
    expect(existsSync(messageFile)).toBe(false);
  });
});
