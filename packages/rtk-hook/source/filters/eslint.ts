import type { CommandFilter } from "./command-filters.ts";

// eslint's default ("stylish") output names each file once, on a line of its own, and lists
// its problems under it as `  line:col  severity  message  rule`. Once a long run is cut, or
// its look-alike problems are folded, a problem line no longer says which file it is in. So
// the file goes into each problem line (`file:line:col  severity ...`, the shape editors and
// the model read as a location), and the file lines and blank separators go.

const problem = /^\s+\d+:\d+\s+(?:error|warning)\s+\S/;
const summary = /^✖ \d+ problems? \(\d+ errors?, \d+ warnings?\)$/;
const fileLine = /^\S/;

/** Each problem line with its file in front (`file:` + the trimmed line); undefined for other lines and problems without a file above. */
export function locateStylishProblems(lines: readonly string[]): Array<string | undefined> {
  let file: string | undefined;
  return lines.map((line, index) => {
    if (problem.test(line)) return file === undefined ? undefined : `${file}:${line.trim()}`;
    // A file line: not indented, and the first problem follows at once.
    if (fileLine.test(line) && problem.test(lines[index + 1] ?? "")) file = line.trimEnd();
    else if (line.trim() !== "") file = undefined;
    return undefined;
  });
}

export const eslintFilter: CommandFilter = {
  name: "eslint",
  detect: (lines) => lines.some((line) => summary.test(line)) && lines.some((line, index) => fileLine.test(line) && problem.test(lines[index + 1] ?? "")),
  locatesImportantLines: true,
  apply: (lines) => {
    const located = locateStylishProblems(lines);
    return lines.map((line, index) => {
      if (located[index] !== undefined) return located[index];
      if (fileLine.test(line) && located[index + 1] !== undefined) return null; // now in each of its problem lines
      if (line.trim() === "" && (located[index + 1] !== undefined || located[index - 1] !== undefined || problem.test(lines[index + 2] ?? ""))) return null;
      return undefined;
    });
  },
  note: (dropped) => `[rtk-hook: eslint's file lines moved into each problem line (file:line:col); ${dropped} file and blank lines not shown]`,
};
