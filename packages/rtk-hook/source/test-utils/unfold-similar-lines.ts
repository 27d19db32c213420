// The inverse of collapseSimilarImportantLines, for tests and the benchmark: proves (and
// counts) that folded error lines are still all there.

/** Rebuilds the folded lines from a summary (test inverse): the numbers replace the varying ones of the first line. */
export function unfoldSimilarLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const match = /^\[rtk-hook: (\d+) more error\/warning lines? like the one above, (?:identical|differing only in the ([\w, ]+) numbers?: (.*))\]$/.exec(line);
    if (!match) {
      out.push(line);
      continue;
    }
    const first = out.at(-1) ?? "";
    const count = Number(match[1]);
    if (match[2] === undefined) {
      for (let n = 0; n < count; n += 1) out.push(first);
      continue;
    }
    const positions = match[2].split(", ").map((word) => Number.parseInt(word, 10) - 1);
    for (const tuple of match[3]!.split(", ")) {
      const values = tuple.split(":");
      let position = -1;
      out.push(first.replace(/\d+/g, (digits) => {
        position += 1;
        const at = positions.indexOf(position);
        return at === -1 ? digits : values[at]!;
      }));
    }
  }
  return out;
}
