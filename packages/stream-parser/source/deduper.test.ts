import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDeduper } from "./deduper.ts";
import { parseWhole } from "./test-utils/events.ts";
import { readFixture } from "./test-utils/fixtures.ts";

const events = (n: number) => Array.from({ length: n }, (_, i) => ({ uuid: `uuid-${i}`, index: i }));

describe("createDeduper", () => {
  it("passes an event the first time and drops it after", () => {
    const deduper = createDeduper();
    expect(deduper.accept({ uuid: "a" })).toBe(true);
    expect(deduper.accept({ uuid: "b" })).toBe(true);
    expect(deduper.accept({ uuid: "a" })).toBe(false);
  });

  it("always passes events without a uuid (text lines)", () => {
    const deduper = createDeduper({ window: 2 });
    expect(deduper.accept({ uuid: undefined })).toBe(true);
    expect(deduper.accept({})).toBe(true);
    expect(deduper.size).toBe(0);
  });

  it("remembers at most `window` uuids, forgetting the oldest", () => {
    const deduper = createDeduper({ window: 3 });
    for (const event of events(10)) deduper.accept(event);
    expect(deduper.size).toBe(3);
    expect(deduper.accept({ uuid: "uuid-9" })).toBe(false);
    expect(deduper.accept({ uuid: "uuid-6" })).toBe(true);
  });

  it("drops a replayed fixture stream whole", () => {
    const deduper = createDeduper();
    const stream = parseWhole(readFixture("tool-then-text"));
    expect(stream.filter((event) => deduper.accept(event))).toHaveLength(stream.length);
    expect(stream.filter((event) => deduper.accept(event))).toHaveLength(0);
  });

  it("refuses a window that is not a positive whole number", () => {
    expect(() => createDeduper({ window: 0 })).toThrow(/window must be a positive whole number of events; got 0\. Leave it out for the default \(10000\)/);
    expect(() => createDeduper({ window: Number.NaN })).toThrow(RangeError);
    expect(() => createDeduper({ window: "10" as never })).toThrow(RangeError);
  });

  it("yields each event once and in order when overlapping windows of a stream are replayed", () => {
    // A log follower reconnects with an overlapping start: each read begins somewhere at or
    // before where the last one ended (but not further back than the window), and goes on.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 50 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 30 }), (n, window, reads) => {
        const stream = events(n);
        const deduper = createDeduper({ window });
        const out: number[] = [];
        let end = 0;
        for (const [back, length] of [...reads, [0, n] as [number, number]]) {
          const start = Math.max(0, end - (back % (window + 1)));
          const stop = Math.min(n, Math.max(end, start + (length % (n + 1))));
          for (const event of stream.slice(start, stop)) if (deduper.accept(event)) out.push(event.index);
          end = stop;
        }
        expect(out).toEqual(stream.map((event) => event.index));
      }),
    );
  });
});
