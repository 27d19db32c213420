import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The built file, evaluated exactly the way Paperclip's UI does it: as text, through
// `new Function("exports", "module", "self", "globalThis", source)`.
const built = path.resolve(import.meta.dirname, "../dist/ui-parser.cjs");
const fixtures = path.resolve(import.meta.dirname, "../../stream-parser/test/fixtures");

type Entry = { kind: string } & Record<string, unknown>;

function loadLikePaperclip(): { parseStdoutLine: (line: string, ts: string) => Entry[] } {
  const source = readFileSync(built, "utf8");
  const module = { exports: {} as Record<string, unknown> };
  new Function("exports", "module", "self", "globalThis", source)(module.exports, module, {}, {});
  return module.exports as { parseStdoutLine: (line: string, ts: string) => Entry[] };
}

describe("the ui-parser bundle", () => {
  it("is self-contained CommonJS: no import, no require", () => {
    const source = readFileSync(built, "utf8");
    expect(source).not.toMatch(/\brequire\(/);
    expect(source).not.toMatch(/^\s*(import|export)\s/m);
  });

  it("turns a real transcript into tool calls, tool results and the final answer", () => {
    const { parseStdoutLine } = loadLikePaperclip();
    const lines = readFileSync(path.join(fixtures, "tool-then-text.jsonl"), "utf8").split("\n").filter(Boolean);
    const entries = lines.flatMap((line) => parseStdoutLine(line, "2026-11-22T10:00:00.000Z"));
    const kinds = new Set(entries.map((entry) => entry.kind));
    for (const kind of ["init", "tool_call", "tool_result", "assistant", "result"]) expect(kinds.has(kind)).toBe(true);
    expect(parseStdoutLine("[claude-k8s] created Job agents/ac-x", "t")).toEqual([{ kind: "stdout", ts: "t", text: "[claude-k8s] created Job agents/ac-x" }]);
  });
});
