import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collapseRepeatedLines, repeatMarker } from "./repeated-lines.ts";

/** Inverse of collapsing, for the property test. */
function expand(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const match = /^\[rtk-hook: previous line repeated (\d+) more times\]$/.exec(line);
    if (match) for (let n = 0; n < Number(match[1]); n += 1) out.push(out.at(-1)!);
    else out.push(line);
  }
  return out;
}

describe("collapseRepeatedLines", () => {
  it("replaces a run with one copy and a count", () => {
    const run = Array.from({ length: 10 }, () => "retrying in 1s...");
    expect(collapseRepeatedLines(["a", ...run, "b"])).toEqual(["a", "retrying in 1s...", repeatMarker(9), "b"]);
  });

  it("keeps short repeats whose count line would be longer", () => {
    expect(collapseRepeatedLines(["", "", "x"])).toEqual(["", "", "x"]);
  });

  it("loses nothing: expanding the counts gives back the input", () => {
    const line = fc.constantFrom("", "same", "x".repeat(80), "error: boom", "é😀");
    fc.assert(
      fc.property(fc.array(line, { maxLength: 300 }), (lines) => {
        const collapsed = collapseRepeatedLines(lines);
        expect(expand(collapsed)).toEqual(lines);
        expect(collapsed.length).toBeLessThanOrEqual(lines.length);
      }),
    );
  });
});
