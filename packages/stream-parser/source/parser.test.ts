import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDeduper } from "./deduper.ts";
import { createStreamParser } from "./parser.ts";
import { parseInChunks, parseWhole, plain } from "./test-utils/events.ts";
import { fixtureNames, longTranscript, readFixture } from "./test-utils/fixtures.ts";

const names = fixtureNames();

describe("createStreamParser on the recorded transcripts", () => {
  it.each(names)("%s: one event per line, all of them CLI events with a uuid", (name) => {
    const bytes = readFixture(name);
    const lines = bytes.toString("utf8").split("\n").filter(Boolean);
    const events = parseWhole(bytes);
    expect(events).toHaveLength(lines.length);
    for (const [i, event] of events.entries()) {
      expect(event.kind).not.toMatch(/^(text|unknown|diagnostic)$/);
      expect(event.uuid).toBeTypeOf("string");
      if (event.kind !== "text" && event.kind !== "diagnostic") expect(event.data).toEqual(JSON.parse(lines[i]!));
    }
  });

  it("types the events of a run with retries", () => {
    const kinds = parseWhole(readFixture("rate-429")).map((e) => e.kind);
    expect(kinds).toEqual(["init", ...Array(10).fill("api_retry"), "assistant", "result"]);
  });

  it("gives the same events and summary for any chunking of any fixture", () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.array(fc.nat(), { maxLength: 40 }), fc.boolean(), (name, cuts, asString) => {
        const bytes = readFixture(name);
        const input = asString ? bytes.toString("utf8") : bytes;
        const scaled = cuts.map((cut) => cut % (input.length + 1));
        const whole = parseInChunks(input);
        const chunked = parseInChunks(input, scaled);
        expect(chunked.events.map(plain)).toEqual(whole.events.map(plain));
        expect(chunked.summary).toEqual(whole.summary);
      }),
      { numRuns: 200 },
    );
  });

  it("gives the same events and summary for random chunkings of the long transcript", () => {
    const { bytes } = longTranscript();
    const whole = parseInChunks(bytes);
    fc.assert(
      fc.property(fc.array(fc.nat(bytes.length), { minLength: 1, maxLength: 400 }), (cuts) => {
        const chunked = parseInChunks(bytes, cuts);
        expect(chunked.events.map(plain)).toEqual(whole.events.map(plain));
        expect(chunked.summary).toEqual(whole.summary);
      }),
      { numRuns: 5 },
    );
  });

  it("does not mind a caller that reuses its chunk buffer", () => {
    const bytes = readFixture("tool-then-text");
    const parser = createStreamParser();
    const buffer = new Uint8Array(1000);
    const events = [];
    for (let offset = 0; offset < bytes.length; offset += buffer.length) {
      const piece = bytes.subarray(offset, offset + buffer.length);
      buffer.set(piece);
      events.push(...parser.write(buffer.subarray(0, piece.length)));
      buffer.fill(0x7b); // "{" everywhere: whatever the parser kept a view of would be ruined
    }
    events.push(...parser.end());
    expect(events.map(plain)).toEqual(parseWhole(bytes).map(plain));
  });

  it("gives the same events for CRLF line endings as for LF", () => {
    const lf = readFixture("tool-then-text").toString("utf8");
    const crlf = lf.replaceAll("\n", "\r\n");
    expect(parseWhole(crlf).map(plain)).toEqual(parseWhole(lf).map(plain));
  });

  it("never throws on arbitrary bytes, however they are chunked", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(2000), { maxLength: 10 }), (bytes, cuts) => {
        const { summary } = parseInChunks(bytes, cuts, { maxLineBytes: 64 });
        expect(summary.eventCounts).toBeDefined();
      }),
    );
  });

  it("never throws on fixture lines broken at random places and glued together", () => {
    const lines = names.flatMap((name) => readFixture(name).toString("utf8").split("\n").filter(Boolean)).filter((l) => l.length < 10_000);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...lines), fc.nat(), fc.boolean()), { maxLength: 8 }), (parts) => {
        const text = parts.map(([line, at, cut]) => (cut ? line.slice(0, at % line.length) : line)).join("");
        const events = parseWhole(text);
        for (const event of events) if (event.kind !== "text" && event.kind !== "diagnostic") expect(event.data).toBeTypeOf("object");
      }),
    );
  });

  it("drops a line over maxLineBytes with a diagnostic and goes on", () => {
    const parser = createStreamParser({ maxLineBytes: 100 });
    const long = `{"type":"user","uuid":"u1","pad":"${"x".repeat(200)}"}`;
    const events = [
      ...parser.write(`${long}\n`),
      ...parser.write('{"type":"system","subtype":"init","uuid":"u2","session_id":"s"}\n'),
    ];
    expect(events.map((e) => e.kind)).toEqual(["diagnostic", "init"]);
    expect(events[0]).toMatchObject({ code: "line_too_long", bytes: long.length });
    expect(parser.summary()).toMatchObject({ droppedLines: 1, droppedBytes: long.length, sessionId: "s" });
  });

  it("drops replayed events when given a deduper, before they are summarised", () => {
    const bytes = readFixture("rate-429");
    const parser = createStreamParser({ deduper: createDeduper({ window: 100 }) });
    const first = parser.write(bytes);
    const replay = parser.write(bytes);
    expect(first).toHaveLength(13);
    expect(replay).toHaveLength(0);
    expect(parser.summary().apiRetries.count).toBe(10);
  });

  it("refuses bad options and bad chunks with a message that names the value and the fix", () => {
    expect(() => createStreamParser({ maxLineBytes: 0 })).toThrow(/maxLineBytes must be a positive whole number of bytes; got number 0\. Leave it out for the default/);
    expect(() => createStreamParser({ maxLineBytes: 1.5 })).toThrow(RangeError);
    expect(() => createStreamParser({ deduper: {} as never })).toThrow(/options.deduper must come from createDeduper/);
    const parser = createStreamParser();
    expect(() => parser.write(42 as never)).toThrow(/write\(\) takes a Buffer, Uint8Array or string; got number 42/);
    parser.end();
    expect(() => parser.write("x")).toThrow(/write\(\) after end\(\)/);
    expect(() => parser.end()).toThrow(/end\(\) called twice/);
  });

  it("flushes a last line without a line ending at end()", () => {
    const parser = createStreamParser();
    expect(parser.write('{"type":"system","subtype":"init","uuid":"u"}')).toEqual([]);
    expect(parser.end().map((e) => e.kind)).toEqual(["init"]);
  });
});
