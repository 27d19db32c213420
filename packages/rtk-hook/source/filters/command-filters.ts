import { isImportantLine } from "../important-lines.ts";
import { eslintFilter } from "./eslint.ts";
import { gitFilter } from "./git.ts";
import { installFilter } from "./install.ts";
import { listingFilter } from "./listing.ts";
import { testRunnerFilter } from "./test-runner.ts";
import { tscFilter } from "./tsc.ts";

// Per-command filters: recognise a tool's output by its shape (a rewritten `npm test` and a
// `cat` of a saved log look the same) and drop or shorten the lines a reader of that tool's
// output does not need. Whatever a filter says, an error/warning line is kept as it was: the
// filters only ever touch the other lines.

export type CommandFilter = {
  name: string;
  /** True when the whole output looks like this tool's. */
  detect: (lines: readonly string[]) => boolean;
  /** Per line: undefined keeps it, null drops it, a string replaces it. */
  apply: (lines: readonly string[]) => Array<string | null | undefined>;
  /** The one line that stands where the first dropped or changed line was. */
  note: (dropped: number) => string;
  /**
   * May put a location in front of an error/warning line (`file:` + the line, trimmed), which
   * then says where it is even when cut or folded; any other change to such a line is ignored.
   * Such a filter is applied even when it makes the output longer.
   */
  locatesImportantLines?: boolean;
};

/** A replacement the filter may make for an error/warning line: the line itself, with a location in front. */
const isLocated = (line: string, replacement: string) => replacement.endsWith(`:${line.trim()}`) && line.trim() !== "";

export const commandFilters: readonly CommandFilter[] = [testRunnerFilter, tscFilter, eslintFilter, installFilter, gitFilter, listingFilter];

export type FilterResult = { text: string; filter: string | undefined; droppedLines: number };

/** The output with the first matching filter applied; unchanged when none matches or none helps. */
export function filterCommandOutput(text: string): FilterResult {
  const lines = text.split("\n");
  for (const filter of commandFilters) {
    if (!filter.detect(lines)) continue;
    const verdicts = filter.apply(lines);
    const out: string[] = [];
    let dropped = 0;
    let noteAt = -1;
    for (const [index, line] of lines.entries()) {
      const proposed = verdicts[index];
      const locates = filter.locatesImportantLines === true && typeof proposed === "string" && isLocated(line, proposed);
      const verdict = isImportantLine(line) && !locates ? undefined : proposed;
      if (verdict !== undefined && verdict !== line && noteAt === -1) noteAt = out.length;
      if (verdict === null) dropped += 1;
      else out.push(verdict ?? line);
    }
    if (noteAt !== -1) out.splice(noteAt, 0, filter.note(dropped));
    const filtered = out.join("\n");
    if (filtered.length < text.length || (filter.locatesImportantLines === true && noteAt !== -1)) return { text: filtered, filter: filter.name, droppedLines: dropped };
  }
  return { text, filter: undefined, droppedLines: 0 };
}
