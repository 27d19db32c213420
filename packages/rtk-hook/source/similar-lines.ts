// Error storms: a compiler or linter repeats one message per location ("error TS2322: Type
// 'string' is not assignable..." 60 times, only the line and column differ). When the error
// lines do not fit the budget, each family keeps its first line and one summary listing the
// numbers of the others, so no location is lost while the bytes shrink tenfold.

import { isImportantLine } from "./important-lines.ts";

const numberPattern = /\d+/g;
const summaryPrefix = "[rtk-hook: ";
const summaryMark = " like the one above, ";

/** True for the summary line collapseSimilarImportantLines puts after a family's first line. */
export function isFamilySummary(line: string): boolean {
  return line.startsWith(summaryPrefix) && line.includes(summaryMark);
}

/** How many error/warning lines a family summary stands for (0 for any other line). */
export function familySize(line: string): number {
  if (!isFamilySummary(line)) return 0;
  return Number(/^\[rtk-hook: (\d+) more /.exec(line)?.[1] ?? 0);
}

const ordinal = (n: number) => `${n}${n % 10 === 1 && n % 100 !== 11 ? "st" : n % 10 === 2 && n % 100 !== 12 ? "nd" : n % 10 === 3 && n % 100 !== 13 ? "rd" : "th"}`;

function summary(first: string, others: string[][]): string {
  const firstNumbers = first.match(numberPattern) ?? [];
  // Only the positions that vary somewhere in the family are worth listing.
  const varying = firstNumbers.map((_, position) => others.some((numbers) => numbers[position] !== firstNumbers[position]));
  const positions = varying.flatMap((isVarying, position) => (isVarying ? [position] : []));
  const count = `${others.length} more error/warning line${others.length === 1 ? "" : "s"} like the one above`;
  if (positions.length === 0) return `[rtk-hook: ${count}, identical]`;
  const which = positions.map((position) => ordinal(position + 1)).join(", ");
  const values = others.map((numbers) => positions.map((position) => numbers[position]).join(":")).join(", ");
  return `[rtk-hook: ${count}, differing only in the ${which} number${positions.length === 1 ? "" : "s"}: ${values}]`;
}

/**
 * Removes every error/warning line that equals an earlier one once its digits are masked,
 * and puts after the earlier one a line listing the removed lines' numbers. Other lines
 * keep their places.
 */
export function collapseSimilarImportantLines(lines: readonly string[], important: readonly boolean[] = lines.map(isImportantLine)): string[] {
  const families = new Map<string, { first: number; others: string[][] }>();
  const removed = new Set<number>();
  lines.forEach((line, index) => {
    if (!important[index]) return;
    const template = line.replace(numberPattern, "#");
    const family = families.get(template);
    if (!family) families.set(template, { first: index, others: [] });
    else {
      family.others.push(line.match(numberPattern) ?? []);
      removed.add(index);
    }
  });
  const summaries = new Map<number, string>();
  for (const family of families.values()) {
    if (family.others.length > 0) summaries.set(family.first, summary(lines[family.first]!, family.others));
  }
  const out: string[] = [];
  lines.forEach((line, index) => {
    if (removed.has(index)) return;
    out.push(line);
    const note = summaries.get(index);
    if (note !== undefined) out.push(note);
  });
  return out;
}
