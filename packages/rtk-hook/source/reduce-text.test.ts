import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isImportantLine } from "./important-lines.ts";
import { reduceText } from "./reduce-text.ts";
import { isFamilySummary } from "./similar-lines.ts";
import { unfoldSimilarLines } from "./test-utils/unfold-similar-lines.ts";
import { utf8ByteLength } from "./utf8.ts";

const isWellFormed = (text: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
const headAndTail = (maxBytes: number, extra = {}) => ({ maxBytes, mode: "head-and-tail" as const, normalize: true, ...extra });

const numbered = (count: number, make = (n: number) => `line ${n}: compiling module ${n}`) => Array.from({ length: count }, (_, n) => make(n));

describe("reduceText, head-and-tail", () => {
  it("leaves text under the budget alone", () => {
    const text = numbered(10).join("\n");
    expect(reduceText(text, headAndTail(5000))).toMatchObject({ text, changed: false, cutLines: 0 });
  });

  it("strips ANSI codes even when the text fits", () => {
    expect(reduceText("\u001b[32mok\u001b[0m", headAndTail(5000))).toMatchObject({ text: "ok", changed: true });
  });

  it("keeps the head, the tail and the error lines between, with a marker naming the persisted file", () => {
    const lines = numbered(2000);
    lines[1000] = "src/app.ts(10,3): error TS2304: Cannot find name 'foo'.";
    const result = reduceText(lines.join("\n"), headAndTail(4000, { persistedOutputPath: "/home/u/.claude/tool-results/b1.txt" }));
    const out = result.text.split("\n");
    expect(utf8ByteLength(result.text)).toBeLessThanOrEqual(4000);
    expect(out[0]).toBe(lines[0]);
    expect(out.at(-1)).toBe(lines.at(-1));
    expect(out).toContain(lines[1000]);
    const marker = out.find((line) => line.startsWith("[rtk-hook: cut"));
    expect(marker).toMatch(/^\[rtk-hook: cut \d+ of 2000 lines \(\d+ of \d+ bytes\) here; the 1 error\/warning line from the cut part follows\./);
    expect(marker).toContain("Full output: /home/u/.claude/tool-results/b1.txt");
    const endIndex = out.findIndex((line) => line.startsWith("[rtk-hook: end of cut"));
    expect(out[endIndex]).toBe(`[rtk-hook: end of cut; the last ${out.length - endIndex - 1} lines follow]`);
    expect(result).toMatchObject({ changed: true, keptImportantLines: 1, droppedImportantLines: 0 });
  });

  it("says how to see more when nothing was persisted", () => {
    const result = reduceText(numbered(2000).join("\n"), headAndTail(3000));
    expect(result.text).toContain("The full output was not saved; rerun with a narrower command");
  });

  it("shows both ends of one huge line (minified JSON)", () => {
    const json = JSON.stringify(Array.from({ length: 5000 }, (_, id) => ({ id, name: `item ${id}` })));
    const result = reduceText(json, headAndTail(2000));
    expect(result.text.startsWith('[{"id":0,"name":"item 0"}')).toBe(true);
    expect(result.text.endsWith('{"id":4999,"name":"item 4999"}]')).toBe(true);
    expect(utf8ByteLength(result.text)).toBeLessThanOrEqual(2000);
  });

  it("counts error lines it had no room for", () => {
    // Letters, not digits, tell these errors apart, so they do not fold into one family.
    const word = (n: number) => [...n.toString(10)].map((digit) => "abcdefghij"[Number(digit)]).join("");
    const lines = numbered(3000, (n) => (n % 2 ? `error: failure in ${word(n)} ${"x".repeat(60)}` : `ok ${n}`));
    const result = reduceText(lines.join("\n"), headAndTail(3000));
    expect(result.droppedImportantLines).toBeGreaterThan(0);
    expect(result.text).toMatch(/\d+ more error\/warning lines did not fit/);
    expect(utf8ByteLength(result.text)).toBeLessThanOrEqual(3000);
  });
});

describe("reduceText, softMaxBytes (outputs Claude saved to a file)", () => {
  const path = "/home/u/.claude/projects/p/tool-results/b1.txt";
  const soft = (softMaxBytes: number, maxBytes = 30_000) => headAndTail(maxBytes, { softMaxBytes, persistedOutputPath: path });
  // Letters, not digits, tell these errors apart, so they do not fold into one family.
  const word = (n: number) => [...n.toString(10)].map((digit) => "abcdefghij"[Number(digit)]).join("");

  it("cuts to softMaxBytes when there are no error lines", () => {
    const lines = numbered(3000);
    const result = reduceText(lines.join("\n"), soft(3000));
    expect(utf8ByteLength(result.text)).toBeLessThanOrEqual(3000);
    const out = result.text.split("\n");
    expect(out[0]).toBe(lines[0]);
    expect(out.at(-1)).toBe(lines.at(-1));
    expect(result.text).toContain(`Full output: ${path}]`);
  });

  it("keeps every error line past softMaxBytes, head and tail keeping their quarter of it", () => {
    const lines = numbered(3000, (n) => (n % 20 === 7 ? `error: module ${word(n)} failed to load ${"x".repeat(40)}` : `ok ${n}`));
    const errors = lines.filter((line) => line.startsWith("error"));
    const result = reduceText(lines.join("\n"), soft(2000));
    const out = result.text.split("\n");
    expect(errors.filter((line) => !out.includes(line))).toEqual([]);
    expect(utf8ByteLength(result.text)).toBeGreaterThan(2000); // the errors alone are ~10 KB
    expect(out[0]).toBe(lines[0]);
    expect(out.at(-1)).toBe(lines.at(-1));
    expect(result.text).toContain(`Full output: ${path}]`);
    expect(result).toMatchObject({ droppedImportantLines: 0 });
    // Beyond the error lines, the output stays within softMaxBytes.
    const errorBytes = out.filter((line) => errors.includes(line)).reduce((sum, line) => sum + utf8ByteLength(line) + 1, 0);
    expect(utf8ByteLength(result.text) - errorBytes).toBeLessThanOrEqual(2000);
  });

  it("adds no cut marker when every line past head and tail is an error line that fits: nothing was cut", () => {
    // A linter's report: nothing but problem lines (the eslint corpus output had "cut 0 of 84 lines").
    const lines = Array.from({ length: 80 }, (_, n) => `src/${word(n)}.js:${n + 1}:3  warning  Unexpected var, use let or const instead  no-var`);
    const result = reduceText(lines.join("\n"), soft(2000));
    expect(result.text).not.toContain("[rtk-hook: cut");
    expect(result.text).toBe(lines.join("\n"));
    expect(result).toMatchObject({ cutLines: 0, droppedImportantLines: 0 });
  });

  it("leaves text between softMaxBytes and maxBytes cut to softMaxBytes, and text under softMaxBytes alone", () => {
    const text = numbered(200).join("\n"); // ~6 KB
    expect(utf8ByteLength(reduceText(text, soft(3000, 10_000)).text)).toBeLessThanOrEqual(3000);
    expect(reduceText(text, soft(8000, 10_000))).toMatchObject({ text, changed: false });
  });

  it("still drops, and counts, error lines that would not fit under maxBytes", () => {
    const lines = numbered(3000, (n) => (n % 2 ? `error: failure in ${word(n)} ${"x".repeat(60)}` : `ok ${n}`));
    const result = reduceText(lines.join("\n"), soft(1000, 5000));
    expect(utf8ByteLength(result.text)).toBeLessThanOrEqual(5000);
    expect(result.droppedImportantLines).toBeGreaterThan(0);
    expect(result.text).toMatch(/\d+ more error\/warning lines did not fit/);
  });

  it("never exceeds maxBytes, never breaks a character, and stays within softMaxBytes plus the error lines it keeps (property)", () => {
    const line = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 100 }),
      fc.tuple(fc.constantFrom("error:", "FAIL", "warning:", "npm warn", "✖"), fc.string({ unit: "grapheme", maxLength: 60 })).map(([kind, rest]) => `${kind} ${rest}`),
    );
    fc.assert(
      // size "max": fast-check's default size would make arrays of ten-odd lines, too few to cut.
      fc.property(fc.array(line, { minLength: 20, maxLength: 600, size: "max" }), fc.integer({ min: 1000, max: 6000 }), fc.integer({ min: 0, max: 30_000 }), (lines, softMaxBytes, extra) => {
        const maxBytes = softMaxBytes + extra;
        const result = reduceText(lines.join("\n"), soft(softMaxBytes, maxBytes));
        expect(utf8ByteLength(result.text)).toBeLessThanOrEqual(maxBytes);
        expect(isWellFormed(result.text)).toBe(true);
        if (!result.text.includes("[rtk-hook: cut")) {
          expect(utf8ByteLength(result.text)).toBeLessThanOrEqual(softMaxBytes);
          return;
        }
        expect(result.text).toContain(`Full output: ${path}]`);
        const keptErrorBytes = result.text
          .split("\n")
          .filter((kept) => isImportantLine(kept) || isFamilySummary(kept))
          .reduce((sum, kept) => sum + utf8ByteLength(kept) + 1, 0);
        expect(utf8ByteLength(result.text)).toBeLessThanOrEqual(softMaxBytes + keptErrorBytes);
      }),
    );
  });

  it("keeps every error line (folded look-alikes included) whenever they fit under maxBytes (property)", () => {
    const messages = ["error TS2322: Type 'string' is not assignable to type 'number'.", "error TS2304: Cannot find name 'missing'.", "warning: unused variable 'x'"];
    const distinct = fc.tuple(fc.constantFrom("error: cannot open", "FAIL src/", "fatal: bad object", "npm warn deprecated"), fc.stringMatching(/^[a-z]{1,12}$/)).map(([kind, name]) => `${kind} ${name}`);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(messages.length - 1), fc.nat(999), fc.nat(99)), { maxLength: 300, size: "max" }),
        fc.uniqueArray(distinct, { maxLength: 60, size: "max" }),
        fc.array(fc.nat(99_999), { minLength: 100, maxLength: 1500, size: "max" }),
        fc.integer({ min: 1000, max: 8000 }),
        (storm, others, noise, softMaxBytes) => {
          const errors = [...new Set([...storm.map(([message, line, column]) => `src/app.ts:${line}:${column} - ${messages[message]}`), ...others])];
          const lines = noise.map((n) => `  ${n} | const value${n} = compute(${n}); // ${"-".repeat(n % 50)}`);
          errors.forEach((error, k) => {
            lines.splice((k * 7919) % (lines.length + 1), 0, error);
          });
          const result = reduceText(lines.join("\n"), soft(softMaxBytes));
          const rebuilt = new Set(unfoldSimilarLines(result.text.split("\n")));
          expect(errors.filter((error) => !rebuilt.has(error))).toEqual([]);
          expect(result.droppedImportantLines).toBe(0);
          expect(utf8ByteLength(result.text)).toBeLessThanOrEqual(30_000);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("reduceText, properties", () => {
  // size "max" throughout: fast-check's default size makes arrays of ten-odd lines, which
  // rarely need a cut at all.
  const unicodeLine = fc.string({ unit: "grapheme", maxLength: 120, size: "max" });

  it("never exceeds the budget and never breaks a character, on any unicode", () => {
    fc.assert(
      fc.property(fc.array(unicodeLine, { maxLength: 400, size: "max" }), fc.integer({ min: 1000, max: 6000 }), fc.boolean(), (lines, maxBytes, head) => {
        const text = lines.join("\n");
        const result = reduceText(text, { maxBytes, mode: head ? "head" : "head-and-tail", normalize: !head });
        expect(utf8ByteLength(result.text)).toBeLessThanOrEqual(Math.max(maxBytes, 0));
        expect(isWellFormed(result.text)).toBe(true);
        if (utf8ByteLength(text) > maxBytes) expect(result.text).toContain("[rtk-hook:");
      }),
    );
  });

  it("keeps every error/warning line when they fit in a quarter of the budget", () => {
    const noise = fc.constantFrom("compiling module", "added 12 packages", "", "   at the usual place", "Downloading https://x.test/pkg.tgz", "OK");
    const error = fc.constantFrom("error: cannot open file", "FAIL src/a.test.ts", "npm warn deprecated glob@7", "fatal: bad object", "Exception in thread main");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(noise, fc.nat(99999)), { minLength: 1, maxLength: 1500, size: "max" }),
        fc.array(fc.tuple(error, fc.nat(99999), fc.nat(1500)), { maxLength: 20, size: "max" }),
        fc.integer({ min: 3000, max: 10000 }),
        (noiseLines, errorLines, maxBytes) => {
          const lines = noiseLines.map(([text, n]) => `${text} ${n}`);
          const errors = errorLines.map(([text, n]) => `${text} #${n}`);
          errorLines.forEach(([, , at], k) => {
            lines.splice(at % (lines.length + 1), 0, errors[k]!);
          });
          const result = reduceText(lines.join("\n"), headAndTail(maxBytes));
          const out = new Set(result.text.split("\n"));
          for (const line of errors) expect(out.has(line)).toBe(true);
          expect(utf8ByteLength(result.text)).toBeLessThanOrEqual(maxBytes);
        },
      ),
    );
  });

  it("in an error storm, every error line can be rebuilt from the output or is counted as dropped (a folded family keeps its summary next to its first line)", () => {
    // Storms of look-alike errors (only line/column numbers differ) fold into a first line and
    // a summary; wherever head, tail and middle fall, the pair must stay together. A storm of
    // hundreds of locations may not fit a small budget even folded: then the marker's count
    // of lines that did not fit must cover every one that is missing.
    const messages = ["error TS2322: Type 'string' is not assignable to type 'number'.", "error TS2304: Cannot find name 'missing'.", "warning: unused variable 'x'"];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(messages.length - 1), fc.nat(999), fc.nat(99)), { minLength: 30, maxLength: 400, size: "max" }),
        fc.array(fc.nat(999), { maxLength: 400, size: "max" }),
        fc.integer({ min: 2500, max: 12000 }),
        (storm, noise, maxBytes) => {
          const errors = [...new Set(storm.map(([message, line, column]) => `src/app.ts:${line}:${column} - ${messages[message]}`))];
          const lines = [...errors];
          noise.forEach((n, k) => {
            lines.splice((n * 7 + k) % (lines.length + 1), 0, `  ${n} | const value${n} = compute(${n});`);
          });
          const result = reduceText(lines.join("\n"), headAndTail(maxBytes));
          const rebuilt = new Set(unfoldSimilarLines(result.text.split("\n")));
          const missing = errors.filter((line) => !rebuilt.has(line));
          expect(missing.length).toBeLessThanOrEqual(result.droppedImportantLines);
          if (missing.length > 0) expect(result.text).toMatch(new RegExp(`; ${result.droppedImportantLines} more error/warning lines? did not fit`));
          expect(utf8ByteLength(result.text)).toBeLessThanOrEqual(maxBytes);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("drops a storm's last family whole, counting every line it stands for, when its summary alone is bigger than the tail", () => {
    // The last line is a family summary listing three hundred locations: shown in part
    // it named none of them, and the marker counted one line where three hundred went.
    const other = Array.from({ length: 40 }, (_, n) => `src/app.ts:${n}:0 - warning: unused variable 'x'`);
    const last = Array.from({ length: 300 }, (_, n) => `src/app.ts:${100 + (n % 7)}:${n} - error TS2304: Cannot find name 'missing'.`);
    const errors = [...other, ...last];
    const result = reduceText(errors.join("\n"), headAndTail(2500));
    const rebuilt = new Set(unfoldSimilarLines(result.text.split("\n")));
    const missing = errors.filter((line) => !rebuilt.has(line));
    expect(missing.length).toBeGreaterThan(250);
    expect(result.droppedImportantLines).toBeGreaterThanOrEqual(missing.length);
    expect(result.text.split("\n").filter((line) => line.includes("like the one above")).every(isFamilySummary)).toBe(true);
  });

  it("keeps a storm's first family whole when the head has room for its first line only", () => {
    // tsc --pretty: each error line is followed by a code frame, and the storm starts at line 1.
    const frame = (n: number) => [`${n} export const user${n}: User = { id: "${n}", name: ${n}, mail: "x" };`, "                                   ~~~~", ""];
    const lines = Array.from({ length: 120 }, (_, n) => [`broken.ts:${n + 3}:30 - error TS2322: Type 'string' is not assignable to type 'number'.`, ...frame(n)]).flat();
    lines.push("Found 120 errors in the same file, starting at: broken.ts:3");
    for (const maxBytes of [2500, 4000, 5000, 8000]) {
      const result = reduceText(lines.join("\n"), headAndTail(maxBytes, { persistedOutputPath: "/home/agent/.claude/projects/x/tool-results/toolu_01.txt" }));
      const rebuilt = new Set(unfoldSimilarLines(result.text.split("\n")));
      expect(lines.filter((line) => line.includes("error TS") && !rebuilt.has(line)), String(maxBytes)).toEqual([]);
    }
  });

  it("head mode keeps a true prefix of the lines and says where to continue", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme", minLength: 1, maxLength: 80, size: "max" }), { minLength: 50, maxLength: 600, size: "max" }), fc.integer({ min: 1, max: 500 }), (lines, startLine) => {
        const text = lines.join("\n");
        const result = reduceText(text, { maxBytes: 1000, mode: "head", normalize: false, startLine });
        if (!result.changed) return;
        const out = result.text.split("\n");
        const marker = out.pop()!;
        const shown = out.length;
        if (utf8ByteLength(lines[0]!) + 1 <= 1000 - 200) expect(out).toEqual(lines.slice(0, shown));
        expect(marker).toMatch(new RegExp(`^\\[rtk-hook: showing lines ${startLine}-${startLine + shown - 1} of ${startLine}-${startLine + lines.length - 1}; cut \\d+ lines \\(\\d+ bytes\\)\\. Read with offset=${startLine + shown} to see more\\.\\]$`));
      }),
    );
  });
});
