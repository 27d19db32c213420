// Runs of identical lines (blank lines, "retrying..." loops, a warning printed per file)
// become one copy and a count.

export const repeatMarker = (times: number) => `[rtk-hook: previous line repeated ${times} more times]`;

/** Collapses runs of identical consecutive lines, where the count line is shorter than the copies it replaces. */
export function collapseRepeatedLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    let end = index + 1;
    while (end < lines.length && lines[end] === line) end += 1;
    const extra = end - index - 1;
    out.push(line);
    if (extra > 0) {
      const marker = repeatMarker(extra);
      // Compare in UTF-16 units: good enough to decide, and the budget is checked later in bytes.
      if (marker.length < extra * (line.length + 1)) out.push(marker);
      else for (let copy = 0; copy < extra; copy += 1) out.push(line);
    }
    index = end;
  }
  return out;
}
