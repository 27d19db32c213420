import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collapseSimilarImportantLines } from "./similar-lines.ts";
import { unfoldSimilarLines } from "./test-utils/unfold-similar-lines.ts";

const storm = Array.from({ length: 60 }, (_, n) => [
  `broken.ts:${n * 2 + 3}:30 - error TS2322: Type 'string' is not assignable to type 'number'.`,
  `  ${n * 2 + 3} export const user${n}: User = { id: "${n}" };`,
  `broken.ts:${n * 2 + 4}:97 - error TS2304: Cannot find name 'missing${n}'.`,
]).flat();

describe("collapseSimilarImportantLines", () => {
  it("folds an error storm to one line per message plus the numbers of the others", () => {
    const folded = collapseSimilarImportantLines(storm);
    expect(folded.slice(0, 5)).toEqual([
      storm[0],
      `[rtk-hook: 59 more error/warning lines like the one above, differing only in the 1st number: ${Array.from({ length: 59 }, (_, n) => n * 2 + 5).join(", ")}]`,
      storm[1],
      storm[2],
      `[rtk-hook: 59 more error/warning lines like the one above, differing only in the 1st, 4th numbers: ${Array.from({ length: 59 }, (_, n) => `${n * 2 + 6}:${n + 1}`).join(", ")}]`,
    ]);
    // The code-frame lines are not errors: they all stay.
    expect(folded.filter((line) => line.startsWith("  "))).toHaveLength(60);
  });

  it("loses no error line: unfolding gives every one back (property)", () => {
    const errorLine = fc.tuple(fc.constantFrom("error: file", "warning: unused", "FAIL test"), fc.nat(50), fc.nat(3)).map(([text, a, b]) => `${text} ${a} at ${b}`);
    const other = fc.constantFrom("ok", "compiling", "  at frame");
    fc.assert(
      fc.property(fc.array(fc.oneof(errorLine, other), { maxLength: 200 }), (lines) => {
        const unfolded = unfoldSimilarLines(collapseSimilarImportantLines(lines));
        expect([...unfolded].sort()).toEqual([...lines].sort());
      }),
    );
  });
});
