import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { importantLineFlags, isImportantLine } from "./important-lines.ts";

describe("isImportantLine", () => {
  it.each([
    "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
    "npm ERR! code ERESOLVE",
    "npm warn deprecated inflight@1.0.6: This module is not supported",
    " FAIL  src/math.test.ts > adds",
    "    AssertionError: expected 3 to be 4",
    "Traceback (most recent call last):",
    "thread 'main' panicked at src/main.rs:2:5",
    "fatal: not a git repository",
    "bash: foo: command not found",
    "Segmentation fault (core dumped)",
    "  ✗ rejects empty input",
    "    at Object.<anonymous> (/app/index.js:10:11)",
    "E       assert 1 == 2",
    "Warning: unused variable",
  ])("keeps %j", (line) => {
    expect(isImportantLine(line)).toBe(true);
  });

  it.each(["added 120 packages in 3s", "commit 1a2b3c4d", "  src/terror-tales.txt is not matched by whole words", "drwxr-xr-x 2 root root 4096 ."])(
    "lets %j go",
    (line) => {
      expect(isImportantLine(line)).toBe(false);
    },
  );
});

describe("importantLineFlags", () => {
  it("does not count a diff's content lines as errors, only the lines around them", () => {
    const lines = ["commit 1234", "    fix: error on empty input", "diff --git a/x.ts b/x.ts", "--- a/x.ts", "+++ b/x.ts", "@@ -1,3 +1,3 @@ function parse()", " if (!x) {", "-  return null;", "+  throw new Error(\"empty\");", "\\ No newline at end of file", "error: cannot apply patch"];
    expect(importantLineFlags(lines)).toEqual([false, true, false, false, false, false, false, false, false, false, true]);
  });

  it("equals isImportantLine on text without a hunk header (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }).filter((line) => !line.startsWith("@@")), { maxLength: 50 }), (lines) => {
        expect(importantLineFlags(lines)).toEqual(lines.map(isImportantLine));
      }),
    );
  });
});
