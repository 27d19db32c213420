import { describe, expect, it } from "vitest";
import { resolveCarriageReturns, stripAnsi } from "./terminal-text.ts";

describe("stripAnsi", () => {
  it("removes colours, cursor moves, OSC hyperlinks and 8-bit CSI", () => {
    expect(stripAnsi("\u001b[1;31merror\u001b[0m: x")).toBe("error: x");
    expect(stripAnsi("a\u001b[2K\u001b[1Gb")).toBe("ab");
    expect(stripAnsi("\u001b]8;;https://x.test\u0007link\u001b]8;;\u0007")).toBe("link");
    expect(stripAnsi("\u009b32mok")).toBe("ok");
  });

  it("leaves text without escapes as it is", () => {
    const text = "plain [brackets] and é";
    expect(stripAnsi(text)).toBe(text);
  });
});

describe("resolveCarriageReturns", () => {
  it("keeps only the last redraw of a progress line but keeps CRLF endings", () => {
    expect(resolveCarriageReturns("10%\r50%\r100% done\nnext")).toBe("100% done\nnext");
    expect(resolveCarriageReturns("a\r\nb\r\n")).toBe("a\r\nb\r\n");
  });
});
