// Lines a reader must not lose when output is cut: errors, failures, warnings. Matching is
// deliberately generous (a kept "0 errors" line costs a few bytes; a lost stack trace costs
// a wrong conclusion).

const importantPattern =
  /\b(?:err(?:or|ors)?|fail(?:s|ed|ure|ures|ing)?|fatal|panic(?:ked)?|exception|traceback|warn(?:ing|ings)?|denied|refused|cannot|can't|unable to|segmentation fault|core dumped|abort(?:ed)?|assert(?:ion)?(?:error)?|undefined reference|not found|timed? ?out|uncaught|unhandled)\b|[✗✖✘×❌]|^\s*E\s{2,}|^\s*at .+:\d+:\d+\)?$/i;

/** True when the line looks like an error, a failure or a warning. */
export function isImportantLine(line: string): boolean {
  return importantPattern.test(line);
}

// A diff's content lines (after an `@@ -1,2 +1,3 @@` header: lines starting with "+", "-", " "
// or "\\") are code, not the command's errors: `+  throw new Error(x)` is a change, not a
// failure. They are kept or cut like any other line.
const hunkHeader = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/;
const hunkLine = /^[-+ \\]/;

/** isImportantLine for each line, except the content lines of a diff (see above). */
export function importantLineFlags(lines: readonly string[]): boolean[] {
  let inHunk = false;
  return lines.map((line) => {
    if (hunkHeader.test(line)) {
      inHunk = true;
      return false;
    }
    if (inHunk && hunkLine.test(line)) return false;
    inHunk = false;
    return isImportantLine(line);
  });
}
