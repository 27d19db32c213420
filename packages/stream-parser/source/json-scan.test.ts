import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_SCAN_DEPTH, scanObject, stringEnd } from "./json-scan.ts";

describe("scanObject", () => {
  it("finds the end of an object and reads its top-level type, subtype, uuid and session_id", () => {
    const text = '{"type":"user","message":{"type":"message","uuid":"nested"},"uuid":"u-1","session_id":"s-1"} tail';
    const scan = scanObject(text, 0);
    expect(scan.end).toBe(text.indexOf(" tail"));
    expect(scan).toMatchObject({ type: "user", uuid: "u-1", sessionId: "s-1", subtype: undefined });
  });

  it("skips braces and quotes inside strings", () => {
    const text = String.raw`{"content":"a } \" { ] [ \\","type":"user"}`;
    expect(scanObject(text, 0)).toMatchObject({ end: text.length, type: "user" });
  });

  it.each([
    ['{"type":"user"', "cut before the closing brace"],
    ['{"type":"user","a":', "cut after a colon"],
    ['{"type":"us', "cut inside a string"],
    ['{"a":1}}', "an extra brace is outside the object: the object itself is whole"],
    ['{"a" 1}', "a missing colon"],
    ['{"a":tru}', "a broken literal"],
    ['{"a":[1,2}', "a bracket closed by a brace"],
    ['{a:1}', "an unquoted key"],
  ])("rejects or bounds %s (%s)", (text) => {
    const scan = scanObject(text, 0);
    if (text === '{"a":1}}') expect(scan.end).toBe(7);
    else expect(scan.end).toBe(-1);
  });

  it("gives up on nesting deeper than it records", () => {
    const deep = (levels: number) => `{"a":${"[".repeat(levels)}${"]".repeat(levels)}}`;
    expect(scanObject(deep(MAX_SCAN_DEPTH - 2), 0).end).toBe(deep(MAX_SCAN_DEPTH - 2).length);
    expect(scanObject(deep(MAX_SCAN_DEPTH), 0).end).toBe(-1);
  });

  it("agrees with JSON.parse about where any JSON object ends", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), (object, tail) => {
        const json = JSON.stringify(object);
        const scan = scanObject(json + tail, 0);
        expect(scan.end).toBe(json.length);
      }),
    );
  });

  it("never calls a cut-off JSON object whole", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), fc.nat(), (object, at) => {
        const json = JSON.stringify(object);
        const cut = at % (json.length - 1);
        expect(scanObject(json.slice(0, cut + 1), 0).end).toBe(-1);
      }),
    );
  });
});

describe("stringEnd", () => {
  it("counts backslashes to tell an escaped quote from a closing one", () => {
    expect(stringEnd(String.raw`"a\"b"x`, 0)).toBe(6);
    expect(stringEnd(String.raw`"a\\"x`, 0)).toBe(5);
    expect(stringEnd(String.raw`"a\\\"`, 0)).toBe(-1);
  });
});
