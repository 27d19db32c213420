import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TextKeeper } from "./text-keeper.ts";

describe("TextKeeper", () => {
  it("keeps every block, joined by blank lines, under the limit", () => {
    const keeper = new TextKeeper(100);
    for (const block of ["a", "b", "a"]) keeper.add(block);
    expect(keeper.text()).toBe("a\n\nb\n\na");
  });

  it("over the limit keeps the beginning and the end, and says how much it left out", () => {
    const keeper = new TextKeeper(30);
    for (let i = 0; i < 10; i++) keeper.add(`block${i}`);
    expect(keeper.text()).toBe("block0\n\nblock1\n\n[... 36 characters of assistant text left out ...]\n\nblock8\n\nblock9");
  });

  it("stays within the limit (plus one block and the note) and keeps the last block, for any input", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 200 }), fc.array(fc.string({ maxLength: 30 }), { maxLength: 300 }), (limit, blocks) => {
        const keeper = new TextKeeper(limit);
        for (const block of blocks) keeper.add(block);
        const text = keeper.text();
        const all = blocks.join("\n\n");
        if (all.length <= limit / 2) expect(text).toBe(all);
        if (blocks.length > 0) expect(text.endsWith(blocks.at(-1)!)).toBe(true);
        const kept = text.replace(/\[\.\.\. \d+ characters of assistant text left out \.\.\.\]/, "");
        const separators = 2 * (blocks.length + 1);
        expect(kept.length).toBeLessThanOrEqual(limit + 30 + separators);
      }),
    );
  });
});
