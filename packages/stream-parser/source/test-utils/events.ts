// Test helpers: running the parser over chunks, and a plain view of events for deep equality
// (`data` of lazily parsed events is a getter, which toEqual would not read).
import type { StreamEvent } from "../events.ts";
import { type StreamParserOptions, createStreamParser } from "../parser.ts";
import type { RunSummary } from "../summary.ts";

export function plain(event: StreamEvent): Record<string, unknown> {
  if (event.kind === "text" || event.kind === "diagnostic") return { ...event };
  return { kind: event.kind, uuid: event.uuid, line: event.line, data: event.data };
}

/** Parses `input` cut at the given offsets (sorted, deduplicated by the caller or not). */
export function parseInChunks(
  input: Uint8Array | string,
  cuts: number[] = [],
  options: StreamParserOptions = {},
): { events: StreamEvent[]; summary: RunSummary } {
  const parser = createStreamParser(options);
  const events: StreamEvent[] = [];
  const offsets = [...new Set(cuts.filter((cut) => cut > 0 && cut < input.length))].sort((a, b) => a - b);
  let from = 0;
  for (const cut of [...offsets, input.length]) {
    events.push(...parser.write(input.slice(from, cut)));
    from = cut;
  }
  events.push(...parser.end());
  return { events, summary: parser.summary() };
}

export function parseWhole(input: Uint8Array | string, options: StreamParserOptions = {}): StreamEvent[] {
  return parseInChunks(input, [], options).events;
}
