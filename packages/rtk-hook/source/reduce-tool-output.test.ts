import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isImportantLine } from "./important-lines.ts";
import { defaultPersistedMaxBytes } from "./options.ts";
import { reduceToolOutput } from "./reduce-tool-output.ts";
import type { Reduction } from "./reduction.ts";
import { isFamilySummary } from "./similar-lines.ts";
import { hookFixture } from "./test-utils/fixtures.ts";
import { unfoldSimilarLines } from "./test-utils/unfold-similar-lines.ts";
import { utf8ByteLength } from "./utf8.ts";

const isWellFormed = (text: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
const bigLog = (lines: number) => Array.from({ length: lines }, (_, n) => `step ${n}: building target ${n} ${"-".repeat(40)}`).join("\n");

function reduced(reduction: Reduction) {
  if (reduction.status !== "reduced") throw new Error(`expected a reduction, got ${reduction.status}`);
  return reduction;
}

describe("reduceToolOutput: Bash", () => {
  it("leaves a small recorded Bash result unchanged", () => {
    const event = hookFixture("bash-small");
    expect(reduceToolOutput("Bash", event.tool_response)).toEqual({ status: "unchanged" });
  });

  it("cuts stdout under the budget and keeps every other key as it was", () => {
    const response = { ...(hookFixture("bash-small").tool_response as object), stdout: bigLog(3000) };
    const result = reduced(reduceToolOutput("Bash", response, { maxBytes: 10_000 }));
    const output = result.output as Record<string, unknown>;
    expect(Object.keys(output)).toEqual(Object.keys(response));
    expect(output).toMatchObject({ stderr: "", interrupted: false, isImage: false, noOutputExpected: false });
    expect(utf8ByteLength(output.stdout as string)).toBeLessThanOrEqual(10_000);
    expect(output.stdout).toContain("[rtk-hook: cut");
    expect(result.bytesAfter).toBeLessThan(result.bytesBefore);
  });

  it("stays under Claude Code's inline limit even with a larger budget, so the model sees the cut text", () => {
    const result = reduced(reduceToolOutput("Bash", { stdout: bigLog(3000), stderr: "" }, { maxBytes: 100_000 }));
    expect(utf8ByteLength((result.output as { stdout: string }).stdout)).toBeLessThanOrEqual(30_000);
  });

  it("works from the full persisted output, drops the persisted keys and names the file", () => {
    const event = hookFixture("bash-persisted");
    const response = event.tool_response as Record<string, unknown>;
    const full = `${bigLog(4000)}\nFAILED: 3 tests\nthe very last line`;
    const result = reduced(reduceToolOutput("Bash", response, { fullOutput: full }));
    const output = result.output as Record<string, unknown>;
    expect(output).not.toHaveProperty("persistedOutputPath");
    expect(output).not.toHaveProperty("persistedOutputSize");
    expect(output.stdout).toContain(`Full output: ${response.persistedOutputPath}`);
    // The tail comes from the full file, not from Claude's first 30000 characters.
    expect((output.stdout as string).endsWith("FAILED: 3 tests\nthe very last line")).toBe(true);
  });

  it("gives a persisted output the small persisted budget, with every error line and the file named", () => {
    const response = hookFixture("bash-persisted").tool_response as Record<string, unknown>;
    const errors = ["error: cannot resolve module 'left-pad'", "FAIL src/app.test.ts", "warning: 3 deprecated packages"];
    const lines = bigLog(4000).split("\n");
    errors.forEach((error, k) => {
      lines.splice(1000 + k * 1000, 0, error);
    });
    const full = lines.join("\n");
    for (const persistedMaxBytes of [undefined, 3000]) {
      const result = reduced(reduceToolOutput("Bash", response, { fullOutput: full, ...(persistedMaxBytes === undefined ? {} : { persistedMaxBytes }) }));
      const stdout = (result.output as { stdout: string }).stdout;
      expect(utf8ByteLength(stdout)).toBeLessThanOrEqual(persistedMaxBytes ?? defaultPersistedMaxBytes);
      for (const error of errors) expect(stdout.split("\n")).toContain(error);
      expect(stdout).toContain(`Full output: ${response.persistedOutputPath}`);
    }
  });

  it("keeps every error line of a persisted output past the persisted budget and --max-bytes, under the inline limit", () => {
    const response = hookFixture("bash-persisted").tool_response as Record<string, unknown>;
    // ~12 KB of distinct error lines in a 300 KB log: more than the persisted budget and --max-bytes 5000.
    const lines = bigLog(6000).split("\n");
    const errors = Array.from({ length: 150 }, (_, k) => `error: package ${"abcdefghij"[k % 10]}${"klmnopqrst"[Math.floor(k / 10) % 10]} failed to build (see log ${"uvwxyz"[k % 6]})`);
    errors.forEach((error, k) => {
      lines.splice(100 + k * 39, 0, error);
    });
    const result = reduced(reduceToolOutput("Bash", response, { fullOutput: lines.join("\n"), maxBytes: 5000 }));
    const stdout = (result.output as { stdout: string }).stdout;
    const out = new Set(unfoldSimilarLines(stdout.split("\n")));
    expect(errors.filter((error) => !out.has(error))).toEqual([]);
    expect(result.droppedImportantLines).toBe(0);
    expect(utf8ByteLength(stdout)).toBeGreaterThan(5000);
    expect(utf8ByteLength(stdout)).toBeLessThanOrEqual(30_000);
    expect(stdout).toContain(`Full output: ${response.persistedOutputPath}]`);
    expect(stdout.startsWith("step 0: building target 0")).toBe(true);
    expect(stdout.endsWith("step 5999: building target 5999 ----------------------------------------")).toBe(true);
  });

  it("gives an output over the inline limit the persisted budget even when Claude named no file", () => {
    const output = reduced(reduceToolOutput("Bash", { stdout: bigLog(1000), stderr: "" })).output as { stdout: string }; // ~60 KB
    expect(utf8ByteLength(output.stdout)).toBeLessThanOrEqual(defaultPersistedMaxBytes);
    expect(output.stdout).toContain("The full output was not saved; rerun with a narrower command");
  });

  it("keeps every error line of a persisted output, and otherwise stays within the persisted budget (property)", () => {
    const noise = fc.tuple(fc.constantFrom("compiling module", "added 12 packages", "", "Downloading https://x.test/pkg.tgz", "ok"), fc.nat(99_999));
    const error = fc.tuple(fc.constantFrom("error: cannot open", "FAIL src/", "npm warn deprecated", "fatal: bad object", "src/a.ts:1:2 - error TS2304: Cannot find name"), fc.stringMatching(/^[a-z]{1,10}$/));
    fc.assert(
      fc.property(
        // size "max": fast-check's default size would make ten-odd lines, too few to cut.
        fc.array(noise, { minLength: 1, maxLength: 4000, size: "max" }),
        fc.uniqueArray(error.map(([kind, name]) => `${kind} ${name}`), { maxLength: 120, size: "max" }),
        fc.integer({ min: 1000, max: 8000 }),
        fc.integer({ min: 1000, max: 60_000 }),
        (noiseLines, errors, persistedMaxBytes, maxBytes) => {
          const lines = noiseLines.map(([text, n]) => `${text} ${n} ${"=".repeat(n % 60)}`);
          errors.forEach((line, k) => {
            lines.splice((k * 7919) % (lines.length + 1), 0, line);
          });
          const full = lines.join("\n");
          const path = "/home/agent/.claude/projects/-work/0b7c/tool-results/bu21vko1k.txt";
          const response = { stdout: full.slice(0, 30_000), stderr: "", interrupted: false, isImage: false, noOutputExpected: false, persistedOutputPath: path, persistedOutputSize: utf8ByteLength(full) };
          const output = reduced(reduceToolOutput("Bash", response, { fullOutput: full, persistedMaxBytes, maxBytes })).output as { stdout: string; stderr: string };
          const stdout = output.stdout;
          const out = stdout.split("\n");
          const rebuilt = new Set(unfoldSimilarLines(out));
          expect(errors.filter((line) => !rebuilt.has(line))).toEqual([]);
          expect(stdout).toContain(path);
          expect(isWellFormed(stdout)).toBe(true);
          expect(utf8ByteLength(stdout)).toBeLessThanOrEqual(30_000);
          const errorBytes = out.filter((line) => isImportantLine(line) || isFamilySummary(line)).reduce((sum, line) => sum + utf8ByteLength(line) + 1, 0);
          expect(utf8ByteLength(stdout)).toBeLessThanOrEqual(Math.min(persistedMaxBytes, maxBytes) + errorBytes);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("leaves the persisted budget out of outputs Claude shows inline", () => {
    const stdout = bigLog(300); // ~20 KB: under the 30000-character inline limit and the 50000 budget
    expect(reduceToolOutput("Bash", { stdout, stderr: "" }, { persistedMaxBytes: 1000 })).toEqual({ status: "unchanged" });
  });

  it("still points at the persisted file when it could not be read", () => {
    const response = hookFixture("bash-persisted").tool_response as Record<string, unknown>;
    const output = reduced(reduceToolOutput("Bash", response)).output as { stdout: string };
    expect(output.stdout).toContain(String(response.persistedOutputPath));
  });

  it("leaves image output alone", () => {
    expect(reduceToolOutput("Bash", { stdout: "x".repeat(100_000), stderr: "", isImage: true })).toEqual({ status: "unchanged" });
  });

  it("keeps the response's shape for any output (property)", () => {
    const text = fc.string({ unit: "grapheme", maxLength: 3000 });
    fc.assert(
      fc.property(text, text, fc.boolean(), fc.integer({ min: 1000, max: 4000 }), (stdout, stderr, interrupted, maxBytes) => {
        // Under Claude's inline limit: longer ones get the persisted budget (tested above).
        const response = { stdout: stdout.repeat(5).slice(0, 25_000), stderr, interrupted, isImage: false, noOutputExpected: false };
        const result = reduceToolOutput("Bash", response, { maxBytes });
        if (result.status === "unchanged") return;
        const output = result.output as Record<string, unknown>;
        expect(Object.keys(output).sort()).toEqual(Object.keys(response).sort());
        expect(typeof output.stdout).toBe("string");
        expect(typeof output.stderr).toBe("string");
        expect(output.interrupted).toBe(interrupted);
        expect(utf8ByteLength(output.stdout as string) + utf8ByteLength(output.stderr as string)).toBeLessThanOrEqual(maxBytes);
      }),
    );
  });
});

describe("reduceToolOutput: Read", () => {
  it("cuts a long file from the end, keeps the shape and says which offset to read next", () => {
    const event = hookFixture("read-text");
    const response = event.tool_response as { type: string; file: Record<string, unknown> };
    const content = Array.from({ length: 1500 }, (_, n) => `const value${n} = ${n}; // ${"é".repeat(20)}`).join("\n");
    const result = reduced(reduceToolOutput("Read", { ...response, file: { ...response.file, content, numLines: 1500, totalLines: 1500 } }, { maxBytes: 5000 }));
    const output = result.output as typeof response;
    expect(Object.keys(output.file)).toEqual(Object.keys(response.file));
    const lines = (output.file.content as string).split("\n");
    expect(lines.slice(0, -1)).toEqual(content.split("\n").slice(0, lines.length - 1));
    expect(lines.at(-1)).toMatch(new RegExp(`^\\[rtk-hook: showing lines 1-${lines.length - 1} of 1-1500; .*Read with offset=${lines.length} to see more\\.\\]$`));
    expect(output.file.numLines).toBe(lines.length);
    expect(output.file.totalLines).toBe(1500);
  });

  it("keeps file contents exact when they fit (no ANSI stripping in files)", () => {
    const response = { type: "text", file: { filePath: "/x", content: "\u001b[31mred\u001b[0m\n\n\n\n\n\n\n\n\n", numLines: 10, startLine: 1, totalLines: 10 } };
    expect(reduceToolOutput("Read", response)).toEqual({ status: "unchanged" });
  });

  it("leaves images and other Read types alone", () => {
    expect(reduceToolOutput("Read", { type: "image", file: { base64: "x".repeat(200_000), type: "image/png" } })).toEqual({ status: "unchanged" });
  });
});

describe("reduceToolOutput: MCP and unknown tools", () => {
  it("cuts text blocks and passes image blocks through byte for byte", () => {
    const blocks = hookFixture("mcp-text-and-image").tool_response as Array<Record<string, unknown>>;
    const big = blocks.map((block, index) => (index === 0 ? { ...block, text: bigLog(2000) } : block));
    const result = reduced(reduceToolOutput("mcp__output__emit", big, { maxBytes: 4000 }));
    const output = result.output as Array<Record<string, unknown>>;
    expect(output.map((block) => block.type)).toEqual(blocks.map((block) => block.type));
    expect(output[1]).toBe(big[1]);
    expect(output[2]).toEqual(big[2]); // the short "[Image: source: ...]" text block stays whole
    expect(output[0]!.text).toContain("[rtk-hook: cut");
    const textBytes = output.filter((block) => block.type === "text").reduce((sum, block) => sum + utf8ByteLength(block.text as string), 0);
    expect(textBytes).toBeLessThanOrEqual(4000);
  });

  it("cuts an object's content blocks and plain strings", () => {
    const result = reduced(reduceToolOutput("Task", { content: [{ type: "text", text: bigLog(2000) }], totalTokens: 5 }, { maxBytes: 3000 }));
    expect(result.output).toMatchObject({ totalTokens: 5, content: [{ type: "text" }] });
    expect(typeof reduced(reduceToolOutput("mcp__x__y", bigLog(2000), { maxBytes: 3000 })).output).toBe("string");
  });

  it("never touches Write or Edit results", () => {
    for (const name of ["write", "edit"]) {
      const event = hookFixture(name);
      const response = { ...(event.tool_response as object), content: bigLog(5000) };
      expect(reduceToolOutput(event.tool_name, response)).toEqual({ status: "unchanged" });
    }
  });

  it("treats other tools' shell-like results ({stdout, stderr, ...}) like Bash's", () => {
    const response = { shellId: "b1", status: "completed", exitCode: 0, stdout: bigLog(3000), stderr: "", stdoutLines: 3000 };
    const output = reduced(reduceToolOutput("BashOutput", response, { maxBytes: 3000 })).output as Record<string, unknown>;
    expect(Object.keys(output)).toEqual(Object.keys(response));
    expect(output).toMatchObject({ shellId: "b1", status: "completed", exitCode: 0, stdoutLines: 3000 });
    expect(utf8ByteLength(output.stdout as string)).toBeLessThanOrEqual(3000);
  });

  it("leaves shapes it does not know alone", () => {
    expect(reduceToolOutput("mcp__x__y", { rows: [bigLog(3000)] })).toEqual({ status: "unchanged" });
    expect(reduceToolOutput("mcp__x__y", null)).toEqual({ status: "unchanged" });
  });
});

describe("reduceToolOutput: Grep, Glob, WebFetch", () => {
  it("cuts grep content, long path lists and fetched text in their own fields", () => {
    const grep = reduced(reduceToolOutput("Grep", { mode: "content", numFiles: 3, filenames: [], content: bigLog(2000), numLines: 2000 }, { maxBytes: 2000 }));
    expect(grep.output).toMatchObject({ mode: "content", numFiles: 3, numLines: 2000 });
    const paths = Array.from({ length: 2000 }, (_, n) => `/repo/src/module-${n}/index.ts`);
    const glob = reduced(reduceToolOutput("Glob", { filenames: paths, numFiles: 2000, truncated: false, durationMs: 3 }, { maxBytes: 2000 }));
    const globOutput = glob.output as { filenames: string[]; truncated: boolean; numFiles: number };
    expect(globOutput.truncated).toBe(true);
    expect(globOutput.numFiles).toBe(2000);
    expect(globOutput.filenames.at(-1)).toMatch(/^\[rtk-hook: \d+ more paths cut/);
    const fetched = reduced(reduceToolOutput("WebFetch", { bytes: 1, code: 200, codeText: "OK", result: bigLog(2000), durationMs: 1, url: "https://x.test" }, { maxBytes: 2000 }));
    expect(fetched.output).toMatchObject({ code: 200, url: "https://x.test" });
  });
});

describe("reduceToolOutput: options", () => {
  it.each([{ maxBytes: 10 }, { maxBytes: 1.5e3 + 0.5 }, { maxBytes: Number.NaN }, { inlineLimit: -1 }, { persistedMaxBytes: 999 }])("rejects %j with a RangeError naming the option", (options) => {
    expect(() => reduceToolOutput("Bash", { stdout: "" }, options)).toThrow(RangeError);
    expect(() => reduceToolOutput("Bash", { stdout: "" }, options)).toThrow(/rtk-hook: (maxBytes|inlineLimit|persistedMaxBytes) must be an integer >= 1000/);
  });
});
