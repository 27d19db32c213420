import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Chunk, LineSplitter } from "./line-splitter.ts";

function split(chunks: Chunk[], maxLineBytes = 1024): Array<string | { dropped: number }> {
  const out: Array<string | { dropped: number }> = [];
  const splitter = new LineSplitter(maxLineBytes, { line: (text) => out.push(text), oversized: (bytes) => out.push({ dropped: bytes }) });
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return out;
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe("LineSplitter", () => {
  it("splits on LF and on CRLF, and keeps a last line without a line ending", () => {
    expect(split(["a\nb\r\nc"])).toEqual(["a", "b", "c"]);
  });

  it("keeps a CR that is not part of a line ending", () => {
    expect(split(["a\rb\n"])).toEqual(["a\rb"]);
  });

  it("joins a line split across chunks, including a CRLF split between its CR and LF", () => {
    expect(split(["ab", "c\r", "\nd"])).toEqual(["abc", "d"]);
  });

  it("decodes a multi-byte character split inside its bytes", () => {
    const text = "é€😀\n";
    const encoded = bytes(text);
    for (let cut = 1; cut < encoded.length; cut++) {
      expect(split([encoded.slice(0, cut), encoded.slice(cut)])).toEqual(["é€😀"]);
    }
  });

  it("accepts string chunks, byte chunks and a mix", () => {
    expect(split(["é", bytes("x\ny"), "z"])).toEqual(["éx", "yz"]);
  });

  it("drops a line longer than the limit, reports its size, and reads the next line", () => {
    const long = "x".repeat(40);
    expect(split([`ok\n${long}\nnext\n`], 10)).toEqual(["ok", { dropped: 40 }, "next"]);
  });

  it("drops an oversized line that arrives in many chunks without keeping it", () => {
    const chunks = Array.from({ length: 50 }, () => "x".repeat(7));
    expect(split(["ok\n", ...chunks, "\r\nnext"], 10)).toEqual(["ok", { dropped: 350 }, "next"]);
  });

  it("counts a line of exactly the limit as fine, with or without a CR before the LF", () => {
    expect(split(["0123456789\r\n", "0123456789\n", "0123456789X\n"], 10)).toEqual(["0123456789", "0123456789", { dropped: 11 }]);
  });

  it("gives the same lines whatever the byte chunking (limit included)", () => {
    fc.assert(
      fc.property(fc.array(lineText, { maxLength: 12 }), fc.array(fc.nat(400)), (lines, cuts) => {
        const encoded = bytes(lines.join("\n"));
        const offsets = [...new Set(cuts.map((cut) => cut % (encoded.length + 1)))].sort((a, b) => a - b);
        const chunks: Chunk[] = [];
        let from = 0;
        for (const cut of [...offsets, encoded.length]) {
          chunks.push(encoded.slice(from, cut));
          from = cut;
        }
        expect(split(chunks, 16)).toEqual(split([encoded], 16));
      }),
    );
  });

  it("gives the same lines for string chunks cut between any characters", () => {
    fc.assert(
      fc.property(fc.array(lineText, { maxLength: 12 }), fc.array(fc.nat(400)), (lines, cuts) => {
        const characters = [...lines.join("\n")];
        const offsets = [...new Set(cuts.map((cut) => cut % (characters.length + 1)))].sort((a, b) => a - b);
        const chunks: Chunk[] = [];
        let from = 0;
        for (const cut of [...offsets, characters.length]) {
          chunks.push(characters.slice(from, cut).join(""));
          from = cut;
        }
        expect(split(chunks, 16)).toEqual(split([bytes(characters.join(""))], 16));
      }),
    );
  });
});

// Lines with one-, two-, three- and four-byte characters and stray CRs.
const lineText = fc.array(fc.constantFrom("a", "z", " ", "\r", "é", "€", "😀"), { maxLength: 24 }).map((parts) => parts.join(""));
