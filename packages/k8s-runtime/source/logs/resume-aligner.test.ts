import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashLine, ResumeAligner } from "./resume-aligner.ts";

/** Feeds `log` through connections that each restart `overlap` lines before where the last one stopped. */
function replay(log: string[], cuts: { at: number; overlap: number }[]): string[] {
  const aligner = new ResumeAligner();
  const delivered: string[] = [];
  let position = 0;
  const sortedCuts = [...cuts].sort((a, b) => a.at - b.at);
  let first = true;
  for (const cut of [...sortedCuts, { at: log.length, overlap: 0 }]) {
    const end = Math.max(position, Math.min(cut.at, log.length));
    if (!first) delivered.push(...aligner.beginResume());
    first = false;
    for (const line of log.slice(position, end)) delivered.push(...aligner.push(line));
    delivered.push(...aligner.endConnection());
    position = Math.max(0, end - cut.overlap);
  }
  return delivered;
}

describe("ResumeAligner", () => {
  it("skips the overlap a resumed stream repeats", () => {
    const log = ["a", "b", "c", "d", "e"];
    expect(replay(log, [{ at: 3, overlap: 2 }])).toEqual(log);
  });

  it("delivers everything when the resumed stream starts after the last line (nothing repeated)", () => {
    expect(replay(["a", "b", "c"], [{ at: 2, overlap: 0 }])).toEqual(["a", "b", "c"]);
  });

  it("prefers the longest consistent overlap among repeated lines", () => {
    const log = ["tick", "tick", "tick", "done"];
    expect(replay(log, [{ at: 3, overlap: 3 }])).toEqual(log);
  });

  it("delivers held lines when the connection ends mid-alignment", () => {
    const aligner = new ResumeAligner();
    for (const line of ["a", "b"]) aligner.push(line);
    aligner.beginResume();
    expect(aligner.push("a")).toEqual([]);
    // The stream ended after repeating only part of the overlap: nothing new, nothing lost.
    expect(aligner.endConnection()).toEqual([]);
    aligner.beginResume();
    expect(aligner.push("b")).toEqual([]);
    expect(aligner.push("c")).toEqual(["c"]);
  });

  it("yields every line once, in order, for unique lines and any cuts with any overlap", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.record({ at: fc.nat(60), overlap: fc.nat(60) }), { maxLength: 6 }),
        (log, cuts) => {
          expect(replay(log, cuts)).toEqual(log);
        },
      ),
    );
  });

  it("takes identical lines at a cut as repeats (the ambiguity is resolved towards the longest overlap)", () => {
    const aligner = new ResumeAligner();
    aligner.push("tick");
    aligner.beginResume();
    expect(aligner.push("tick")).toEqual([]);
    expect(aligner.push("done")).toEqual(["done"]);
  });

  it("hashes distinct strings apart", () => {
    expect(hashLine("a")).not.toBe(hashLine("b"));
    expect(hashLine("")).toBe(hashLine(""));
  });
});
