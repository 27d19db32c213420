import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countUtf8Bytes, utf8ByteLength, utf8Prefix, utf8Suffix } from "./utf8.ts";

const encoder = new TextEncoder();
const unicode = fc.string({ unit: "grapheme", maxLength: 200 });
/** Any UTF-16 sequence, lone surrogates included (what JSON.parse can hand us). */
const anyUtf16 = fc.string({ unit: "binary", maxLength: 200 });
const isWellFormed = (text: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe("utf8ByteLength", () => {
  it("agrees with TextEncoder on any string, lone surrogates included", () => {
    fc.assert(
      fc.property(anyUtf16, (text) => {
        expect(utf8ByteLength(text)).toBe(encoder.encode(text).length);
        expect(countUtf8Bytes(text)).toBe(encoder.encode(text).length);
      }),
    );
  });
});

describe("utf8Prefix / utf8Suffix", () => {
  it("fit the budget, never split a character, and are the longest that fit", () => {
    fc.assert(
      fc.property(unicode, fc.nat(400), (text, maxBytes) => {
        const prefix = utf8Prefix(text, maxBytes);
        const suffix = utf8Suffix(text, maxBytes);
        expect(text.startsWith(prefix)).toBe(true);
        expect(text.endsWith(suffix)).toBe(true);
        expect(utf8ByteLength(prefix)).toBeLessThanOrEqual(maxBytes);
        expect(utf8ByteLength(suffix)).toBeLessThanOrEqual(maxBytes);
        expect(isWellFormed(prefix) && isWellFormed(suffix)).toBe(true);
        // Maximal: one more code point would not fit.
        const nextPoint = Array.from(text.slice(prefix.length))[0];
        if (nextPoint !== undefined) expect(utf8ByteLength(prefix + nextPoint)).toBeGreaterThan(maxBytes);
        const previousPoint = Array.from(text.slice(0, text.length - suffix.length)).at(-1);
        if (previousPoint !== undefined) expect(utf8ByteLength(previousPoint + suffix)).toBeGreaterThan(maxBytes);
      }),
    );
  });

  it("cuts before a 4-byte character rather than through it", () => {
    expect(utf8Prefix("ab😀c", 5)).toBe("ab");
    expect(utf8Suffix("a😀bc", 5)).toBe("bc");
    expect(utf8Prefix("é", 1)).toBe("");
  });
});
