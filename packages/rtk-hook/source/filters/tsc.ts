import type { CommandFilter } from "./command-filters.ts";

// tsc --pretty: each error is followed by a code frame (the source line with its number, a
// line of ~~~ under the culprit). The error line already names file, line, column and
// message; the frames double the output.

const errorLine = /^\S.*:\d+:\d+ - error TS\d+: /;
const frameSource = /^\d+\s/;
const underline = /^\s*~+\s*$/;

export const tscFilter: CommandFilter = {
  name: "tsc",
  detect: (lines) => lines.some((line) => errorLine.test(line)) && lines.some((line) => underline.test(line)),
  apply: (lines) =>
    lines.map((line, index) => {
      if (underline.test(line)) return null;
      if (frameSource.test(line) && underline.test(lines[index + 1] ?? "")) return null;
      // The blank lines that framed the frame.
      if (line.trim() === "" && (frameSource.test(lines[index + 1] ?? "") || underline.test(lines[index - 1] ?? ""))) return null;
      return undefined;
    }),
  note: (dropped) => `[rtk-hook: ${dropped} lines of tsc code frames not shown; the lines above and below name file:line:column]`,
};
