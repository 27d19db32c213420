import { importantLineFlags } from "./important-lines.ts";
import { collapseRepeatedLines } from "./repeated-lines.ts";
import { collapseSimilarImportantLines, familySize, isFamilySummary } from "./similar-lines.ts";
import { resolveCarriageReturns, stripAnsi } from "./terminal-text.ts";
import { utf8ByteLength, utf8Prefix, utf8Suffix } from "./utf8.ts";

export type ReduceTextOptions = {
  /** The result's hard limit in UTF-8 bytes, markers included. */
  maxBytes: number;
  /**
   * head-and-tail only: the size to aim for when it is smaller than maxBytes. Head, tail and
   * markers stay within it; error/warning lines the cut would otherwise drop may take the
   * result past it, up to maxBytes. For outputs whose full text the model can Read from a
   * file: the context is a Read away, a missed error is not.
   */
  softMaxBytes?: number;
  /**
   * "head-and-tail" (command output): keep the start, the end and the error/warning lines in
   * between. "head" (file contents): keep only the start, so the line numbers Claude adds
   * stay true, and say where to continue reading.
   */
  mode: "head-and-tail" | "head";
  /** Strip ANSI codes, resolve progress redraws, collapse repeated lines. Off for file contents, which must stay exact. */
  normalize: boolean;
  /** Where Claude Code saved the full output, named in the marker. */
  persistedOutputPath?: string;
  /** Applied after normalising, before the cut: a per-command filter (filters/), which keeps every error/warning line. */
  filter?: (text: string) => string;
  /** head mode: the line number of the text's first line (Read's startLine). */
  startLine?: number;
};

export type TextReduction = {
  text: string;
  changed: boolean;
  bytesBefore: number;
  bytesAfter: number;
  /** Lines removed by the cut (not counting collapsed repeats). */
  cutLines: number;
  /** Error/warning lines from the cut part that were kept, and those that did not fit. */
  keptImportantLines: number;
  droppedImportantLines: number;
};

/** Longest error line kept whole; longer ones are cut to this (an error line is rarely useful past it). */
const maxImportantLineBytes = 2048;

const lineCost = (line: string) => utf8ByteLength(line) + 1;

function normalizeText(text: string): string {
  const plain = resolveCarriageReturns(stripAnsi(text));
  return collapseRepeatedLines(plain.split("\n")).join("\n");
}

function whereToFindMore(options: ReduceTextOptions): string {
  return options.persistedOutputPath
    ? `Full output: ${options.persistedOutputPath}`
    : "The full output was not saved; rerun with a narrower command (grep, head, tail, a filter) to see the rest.";
}

const countOf = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

type CutCounts = { cutLines: number; totalLines: number; cutBytes: number; totalBytes: number; kept: number; dropped: number };

function cutMarker(counts: CutCounts, options: ReduceTextOptions): string {
  const kept = counts.kept > 0 ? `; the ${countOf(counts.kept, "error/warning line")} from the cut part follow${counts.kept === 1 ? "s" : ""}` : "";
  const dropped = counts.dropped > 0 ? `; ${countOf(counts.dropped, "more error/warning line")} did not fit` : "";
  return `[rtk-hook: cut ${counts.cutLines} of ${counts.totalLines} lines (${counts.cutBytes} of ${counts.totalBytes} bytes) here${kept}${dropped}. ${whereToFindMore(options)}]`;
}

const endOfCutMarker = (tailLines: number) => `[rtk-hook: end of cut; the last ${tailLines} lines follow]`;

function unchangedOrNormalized(input: string, text: string, bytesBefore: number): TextReduction {
  const bytesAfter = text === input ? bytesBefore : utf8ByteLength(text);
  return { text, changed: text !== input, bytesBefore, bytesAfter, cutLines: 0, keptImportantLines: 0, droppedImportantLines: 0 };
}

/**
 * Error/warning lines to keep, as units: a folded family's summary ("N more ... like the one
 * above") only means something right after its first line, so the two travel together.
 */
function importantUnits(lines: readonly string[], important: readonly boolean[], from: number, to: number): number[][] {
  const units: number[][] = [];
  for (let index = from; index < to; index += 1) {
    if (!important[index] || isFamilySummary(lines[index]!)) continue;
    units.push(index + 1 < to && isFamilySummary(lines[index + 1]!) ? [index, index + 1] : [index]);
  }
  return units;
}

const keptLine = (line: string) => (utf8ByteLength(line) > maxImportantLineBytes && !isFamilySummary(line) ? `${utf8Prefix(line, maxImportantLineBytes - 3)}...` : line);

/** Picks units of error/warning lines within `budget`, alternating from both ends so the first and the last errors survive. */
function pickImportant(lines: readonly string[], units: readonly number[][], budget: number) {
  const chosen = new Map<number, string>();
  let used = 0;
  let low = 0;
  let high = units.length - 1;
  let fromLow = true;
  while (low <= high) {
    const unit = fromLow ? units[low++]! : units[high--]!;
    fromLow = !fromLow;
    const kept = unit.map((index) => keptLine(lines[index]!));
    const cost = kept.reduce((sum, line) => sum + lineCost(line), 0);
    if (used + cost > budget) continue;
    used += cost;
    unit.forEach((index, at) => {
      chosen.set(index, kept[at]!);
    });
  }
  return { chosen, used };
}

/** The size a cut aims for: softMaxBytes when set (head-and-tail only), never above maxBytes. */
const targetBytes = (options: ReduceTextOptions) =>
  options.mode === "head-and-tail" && options.softMaxBytes !== undefined ? Math.min(options.softMaxBytes, options.maxBytes) : options.maxBytes;

function reduceHeadAndTail(input: string, original: string, bytesBefore: number, options: ReduceTextOptions): TextReduction {
  const target = targetBytes(options);
  let lines = original.split("\n");
  // Error storms: when the error lines alone would not fit, fold each family of look-alikes first.
  let flags = importantLineFlags(lines);
  const importantBytes = lines.reduce((sum, line, index) => (flags[index] ? sum + lineCost(line) : sum), 0);
  if (importantBytes > target * 0.6) {
    lines = collapseSimilarImportantLines(lines, flags);
    flags = importantLineFlags(lines);
  }
  const text = lines.join("\n");
  const total = lines.length;
  const totalBytes = utf8ByteLength(text);
  // Folding alone may have brought it under the budget: nothing to cut, no marker.
  if (totalBytes <= target) {
    return finish(input, text, bytesBefore, options, { cutLines: 0, totalLines: total, cutBytes: 0, totalBytes, kept: 0, dropped: 0 });
  }
  const costs = lines.map(lineCost);
  // Counts in the final markers never exceed these, so this draft bounds their size.
  const draft = { cutLines: total, totalLines: total, cutBytes: totalBytes, totalBytes, kept: total, dropped: total };
  const reserve = utf8ByteLength(cutMarker(draft, options)) + utf8ByteLength(endOfCutMarker(total)) + 2;
  // A target too small for the markers grows to hold them (within maxBytes): the marker
  // names the file with the full output, the one thing a cut must never lose.
  const aim = Math.min(options.maxBytes, Math.max(target, reserve + 16));
  const available = aim - reserve;
  if (available < 16) return hardCut(input, text, bytesBefore, options);
  // What error lines may use beyond the target (0 without a softMaxBytes).
  const overflow = options.maxBytes - aim;

  const units = importantUnits(lines, flags, 0, total);
  // Error lines come first (in an error storm they are the content), but head and tail keep
  // at least a quarter: the command's start and its summary line orient the reader. Past
  // the target, only error lines get more room; head and tail keep that same quarter.
  const importantShare = Math.floor(available * 0.75);
  const important = pickImportant(lines, units, importantShare + overflow);

  const rest = available - Math.min(important.used, importantShare);
  const headBudget = Math.floor(rest * 0.4);
  const tailBudget = rest - headBudget;
  let headEnd = 0;
  let headBytes = 0;
  while (headEnd < total && headBytes + costs[headEnd]! <= headBudget) headBytes += costs[headEnd++]!;
  let tailStart = total;
  let tailBytes = 0;
  while (tailStart > headEnd && tailBytes + costs[tailStart - 1]! <= tailBudget) tailBytes += costs[--tailStart]!;
  // Never split a family from its summary at the head's end or the tail's start: the pair
  // goes to the middle, where it is kept as a unit.
  if (headEnd > 0 && headEnd < tailStart && isFamilySummary(lines[headEnd]!)) headBytes -= costs[--headEnd]!;
  if (tailStart < total && tailStart > headEnd && isFamilySummary(lines[tailStart]!)) tailBytes -= costs[tailStart++]!;

  // An error line first or last (a compiler's first error, a test run's FAIL summary) that
  // head or tail has no room for stays whole: its bytes are already counted among the
  // error lines, and a partial copy would lose it (small persisted budgets did).
  if (headEnd === 0 && important.chosen.has(0)) {
    const end = important.chosen.has(1) && isFamilySummary(lines[1]!) ? 2 : 1;
    if (end <= tailStart) headEnd = end;
  }
  if (tailStart === total && important.chosen.has(total - 1)) {
    const start = isFamilySummary(lines[total - 1]!) ? total - 2 : total - 1;
    if (start >= headEnd) tailStart = start;
  }
  // One line bigger than a whole budget (minified JSON, a base64 blob): show its two ends.
  // Never a family summary: cut short, it no longer says which lines it stands for, and
  // without its first line it stands for nothing; it is dropped as a unit with that line.
  const headPartial =
    headEnd === 0 && headEnd < tailStart && costs[0]! > headBudget && !important.chosen.has(0) ? utf8Prefix(lines[0]!, headBudget - 1) : "";
  const tailPartial =
    tailStart === total &&
    tailStart > headEnd &&
    costs[total - 1]! > tailBudget &&
    !important.chosen.has(total - 1) &&
    !isFamilySummary(lines[total - 1]!)
      ? utf8Suffix(lines[total - 1]!, tailBudget - 1) : "";

  const middle: string[] = [];
  let droppedImportant = 0;
  for (const index of units.flat()) {
    if (index < headEnd || index >= tailStart) continue;
    // Shown only in part: the line itself did not fit.
    if ((index === 0 && headPartial) || (index === total - 1 && tailPartial)) {
      droppedImportant += 1;
      continue;
    }
    const kept = important.chosen.get(index);
    // A dropped family summary loses every line it stood for: the marker counts them all.
    if (kept === undefined) droppedImportant += familySize(lines[index]!) || 1;
    else middle.push(kept);
  }
  const headLines = lines.slice(0, headEnd);
  if (headPartial) headLines.push(headPartial);
  const tailLines = lines.slice(tailStart);
  if (tailPartial) tailLines.unshift(tailPartial);
  const keptBytes = [...headLines, ...middle, ...tailLines].reduce((sum, line) => sum + lineCost(line), 0);
  const counts: CutCounts = {
    cutLines: tailStart - headEnd - middle.length,
    totalLines: total,
    cutBytes: Math.max(0, totalBytes - keptBytes),
    totalBytes,
    kept: middle.length,
    dropped: droppedImportant,
  };
  // Every line between head and tail was an error line that fit: nothing was cut, and a
  // marker would point at a full output no one saved.
  if (counts.cutLines === 0) return finish(input, text, bytesBefore, options, { ...counts, cutBytes: 0, kept: 0 });
  const parts = [...headLines, cutMarker(counts, options), ...middle];
  if (middle.length > 0 && tailLines.length > 0) parts.push(endOfCutMarker(tailLines.length));
  parts.push(...tailLines);
  return finish(input, parts.join("\n"), bytesBefore, options, counts);
}

function reduceHead(input: string, text: string, bytesBefore: number, options: ReduceTextOptions): TextReduction {
  const lines = text.split("\n");
  const total = lines.length;
  const start = options.startLine ?? 1;
  const totalBytes = utf8ByteLength(text);
  const marker = (shown: number, cutLines: number, cutBytes: number) =>
    `[rtk-hook: showing lines ${start}-${start + shown - 1} of ${start}-${start + total - 1}; cut ${cutLines} lines (${cutBytes} bytes). Read with offset=${start + shown} to see more.]`;
  const available = options.maxBytes - utf8ByteLength(marker(total, total, totalBytes)) - 1;
  if (available < 16) return hardCut(input, text, bytesBefore, options);
  let shown = 0;
  let used = 0;
  while (shown < total && used + lineCost(lines[shown]!) <= available) used += lineCost(lines[shown++]!);
  const kept = lines.slice(0, shown);
  // A first line too long to fit: show its start rather than nothing.
  if (shown === 0) kept.push(utf8Prefix(lines[0]!, available - 1));
  const shownCount = Math.max(shown, 1);
  const cutBytes = totalBytes - kept.reduce((sum, line) => sum + lineCost(line), 0);
  const counts = { cutLines: total - shownCount, totalLines: total, cutBytes: Math.max(0, cutBytes), totalBytes, kept: 0, dropped: 0 };
  return finish(input, [...kept, marker(shownCount, counts.cutLines, counts.cutBytes)].join("\n"), bytesBefore, options, counts);
}

/** Budgets too small for the markers (tiny --max-bytes with a long path): a plain prefix and the shortest marker that fits. */
function hardCut(input: string, text: string, bytesBefore: number, options: ReduceTextOptions): TextReduction {
  const marker = "\n[rtk-hook: cut]";
  const room = options.maxBytes - utf8ByteLength(marker);
  const result = room > 0 ? utf8Prefix(text, room) + marker : utf8Prefix(marker.trimStart(), options.maxBytes);
  const keptLines = result.split("\n").length - 1;
  const totalLines = text.split("\n").length;
  return finish(input, result, bytesBefore, options, { cutLines: totalLines - keptLines, totalLines, cutBytes: 0, totalBytes: 0, kept: 0, dropped: 0 });
}

function finish(input: string, result: string, bytesBefore: number, options: ReduceTextOptions, counts: CutCounts): TextReduction {
  // The arithmetic above keeps us under the limit; this guard makes the promise unconditional.
  const text = utf8ByteLength(result) > options.maxBytes ? utf8Prefix(result, options.maxBytes) : result;
  return {
    text,
    changed: text !== input,
    bytesBefore,
    bytesAfter: utf8ByteLength(text),
    cutLines: counts.cutLines,
    keptImportantLines: counts.kept,
    droppedImportantLines: counts.dropped,
  };
}

/**
 * Cuts text to `maxBytes` UTF-8 bytes: never a broken character, a marker saying what was
 * cut and where the rest is, and (head-and-tail) every error/warning line that fits. With a
 * smaller `softMaxBytes`, text over it is cut to it, except for error/warning lines, which
 * may still use up to `maxBytes`.
 */
export function reduceText(input: string, options: ReduceTextOptions): TextReduction {
  const bytesBefore = utf8ByteLength(input);
  const normalized = options.normalize ? normalizeText(input) : input;
  const text = options.filter ? options.filter(normalized) : normalized;
  if ((text === input ? bytesBefore : utf8ByteLength(text)) <= targetBytes(options)) return unchangedOrNormalized(input, text, bytesBefore);
  return options.mode === "head" ? reduceHead(input, text, bytesBefore, options) : reduceHeadAndTail(input, text, bytesBefore, options);
}
