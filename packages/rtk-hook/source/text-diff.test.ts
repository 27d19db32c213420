import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineDiff } from "./text-diff.ts";

describe("lineDiff", () => {
  it("marks removed, added and common lines", () => {
    expect(lineDiff("a\nb\nc\n", "a\nc\nd\n")).toBe(" a\n-b\n c\n+d\n");
    expect(lineDiff("", "x\n")).toBe("+x\n");
  });

  it("gives back both texts: the old from the - and common lines, the new from the + and common lines (property)", () => {
    const text = fc.array(fc.constantFrom("{", "}", '  "a": 1,', '  "b": 2', "  ]", ""), { maxLength: 12 }).map((lines) => (lines.length ? `${lines.join("\n")}\n` : ""));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const lines = lineDiff(before, after).split("\n").slice(0, -1);
        const side = (mark: string) => lines.filter((line) => line[0] === " " || line[0] === mark).map((line) => line.slice(1));
        expect(side("-").join("\n")).toBe(before.replace(/\n$/, ""));
        expect(side("+").join("\n")).toBe(after.replace(/\n$/, ""));
      }),
    );
  });
});
