import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { parseWhole } from "./test-utils/events.ts";
import { fixtureNames, readFixture } from "./test-utils/fixtures.ts";
import { parseStdoutLine, toTranscriptEntries } from "./transcript.ts";

const TS = "2026-11-22T06:00:00.000Z";
const entriesOf = (name: string) => parseWhole(readFixture(name)).flatMap((event) => toTranscriptEntries(event, TS));

describe("toTranscriptEntries", () => {
  it("maps init, text, tool calls, tool results and the result", () => {
    const entries = entriesOf("tool-then-text");
    expect(entries[0]).toEqual({ kind: "init", ts: TS, model: "claude-opus-5-5", sessionId: "73dec4e9-ff02-47d7-a434-67b161b7c956" });
    expect(entries[1]).toEqual({ kind: "assistant", ts: TS, text: "Running Bash." });
    expect(entries[2]).toEqual({ kind: "tool_call", ts: TS, name: "Bash", input: { command: "seq 1 3334", description: "print numbers" }, toolUseId: "toolu_1" });
    expect(entries[3]).toMatchObject({ kind: "tool_result", ts: TS, toolUseId: "toolu_1", isError: false });
    expect(entries[3]!.kind === "tool_result" && entries[3]!.content.startsWith("1\n2\n3\n")).toBe(true);
    expect(entries.at(-1)).toEqual({
      kind: "result",
      ts: TS,
      text: "All done: the task is complete.",
      inputTokens: 78014,
      outputTokens: 59,
      cachedTokens: 0,
      costUsd: 0.313236,
      subtype: "success",
      isError: false,
      errors: [],
    });
  });

  it("shows API retries and the CLI's API-error message as system entries, not as the model", () => {
    const entries = entriesOf("rate-429");
    expect(entries[1]).toEqual({ kind: "system", ts: TS, text: "API request failed (HTTP 429, rate_limit); retry 1/10 in 1.1 s" });
    expect(entries.filter((e) => e.kind === "assistant")).toEqual([]);
    expect(entries.at(-2)).toMatchObject({ kind: "system", text: expect.stringMatching(/^API Error: Request rejected \(429\)/) });
    expect(entries.at(-1)).toMatchObject({ kind: "result", isError: true, subtype: "success" });
  });

  it("shows rate-limit events, text lines and the per-run cost of a resumed session", () => {
    const rateLimit = JSON.stringify({ type: "rate_limit_event", rate_limit_info: { status: "allowed_warning", resetsAt: 1893456000, rateLimitType: "five_hour" } });
    expect(parseStdoutLine(rateLimit, TS)).toEqual([{ kind: "system", ts: TS, text: "rate limit five_hour: allowed_warning, resets 2030-01-01T00:00:00.000Z" }]);
    expect(parseStdoutLine("[paperclip] keepalive\n", TS)).toEqual([{ kind: "stdout", ts: TS, text: "[paperclip] keepalive" }]);
    expect(entriesOf("resume-second").at(-1)).toMatchObject({ kind: "result", costUsd: 0.04948 });
  });

  it("lists the errors of an error result", () => {
    expect(entriesOf("max-turns").at(-1)).toMatchObject({ kind: "result", subtype: "error_max_turns", isError: true, errors: ["Reached maximum number of turns (1)"] });
  });

  it.each(fixtureNames())("parseStdoutLine of each raw line of %s gives the same entries as the parsed events", (name) => {
    const fromLines = readFixture(name).toString("utf8").split("\n").flatMap((line) => parseStdoutLine(line, TS));
    expect(fromLines).toEqual(entriesOf(name));
  });

  it("compiles alone into a CommonJS file that works when evaluated with new Function (Paperclip's ui-parser)", () => {
    const source = readFileSync(path.join(import.meta.dirname, "transcript.ts"), "utf8");
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2019 } });
    expect(outputText).not.toMatch(/\brequire\(|\bimport\(/);
    const module = { exports: {} as Record<string, unknown> };
    new Function("exports", "module", outputText)(module.exports, module);
    const parse = module.exports.parseStdoutLine as typeof parseStdoutLine;
    const line = readFixture("tool-then-text").toString("utf8").split("\n")[2]!;
    expect(parse(line, TS)).toEqual(parseStdoutLine(line, TS));
  });
});
