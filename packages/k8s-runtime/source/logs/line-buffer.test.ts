import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineBuffer } from "./line-buffer.ts";

function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    pieces.push(bytes.subarray(start, point));
    start = point;
  }
  return pieces;
}

describe("LineBuffer", () => {
  it("yields the same lines for any chunking, multi-byte characters included", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme", maxLength: 12 }).map((s) => s.replace(/\n/g, "")), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, cuts) => {
        const bytes = Buffer.from(lines.map((line) => `${line}\n`).join(""), "utf8");
        const buffer = new LineBuffer({ maxLineBytes: 1 << 20, onOversized: () => {} });
        const out = split(bytes, cuts).flatMap((piece) => buffer.push(piece));
        expect(out).toEqual(lines);
        expect(buffer.flush()).toBeUndefined();
      }),
    );
  });

  it("skips a line over the limit and reports its size, keeping the lines around it", () => {
    const oversized: number[] = [];
    const buffer = new LineBuffer({ maxLineBytes: 10, onOversized: (bytes) => oversized.push(bytes) });
    const out = [...buffer.push(Buffer.from("short\n0123456789")), ...buffer.push(Buffer.from("abcdef\nafter\n"))];
    expect(out).toEqual(["short", "after"]);
    expect(oversized).toEqual([16]);
  });

  it("flushes an unterminated rest, and forgets it on discard", () => {
    const buffer = new LineBuffer({ maxLineBytes: 100, onOversized: () => {} });
    buffer.push(Buffer.from("partial"));
    expect(buffer.flush()).toBe("partial");
    buffer.push(Buffer.from("again"));
    buffer.discard();
    expect(buffer.flush()).toBeUndefined();
  });
});
