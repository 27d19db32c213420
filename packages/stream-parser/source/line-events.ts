// One line of output -> the events in it.
//
// The usual line is one JSON event. Two kinds of damage happen in real logs (claude-code issue
// 49640): two events glued on one line (`...}{"type":...`), and an event glued after something
// that is not JSON (a truncated event, a stray write without a newline). Both are recovered:
// each whole event found in the line is emitted, and the unreadable rest becomes a `text` event,
// so nothing is silently dropped and a glued `result` is never lost.
import type { JsonEvent, StreamEvent } from "./events.ts";
import { scanObject } from "./json-scan.ts";
import { LazyJsonEvent, eventFromObject, isJsonObject, isLazyKind, kindOf, textEvent } from "./make-event.ts";

const TYPE_PREFIX = '{"type":"';

export function eventsFromLine(line: string, emit: (event: StreamEvent) => void): void {
  const first = firstNonBlank(line, 0);
  if (first === -1) return;

  if (line.charCodeAt(first) !== 123) {
    // Not JSON; but an event may be glued after the text.
    if (line.indexOf('{"', first) === -1) emit(textEvent(line));
    else recoverEvents(line, first, emit);
    return;
  }

  // Cheap type sniffing: the CLI writes `type` first for every event except `result`.
  const sniffedType = sniffLeadingType(line, first);
  if (sniffedType !== undefined) {
    const kind = kindOf(sniffedType, undefined);
    if (isLazyKind(kind)) {
      const scan = scanObject(line, first);
      if (scan.end !== -1 && firstNonBlank(line, scan.end) === -1 && scan.type === sniffedType) {
        emit(new LazyJsonEvent(kind, line, scan.uuid, scan.sessionId) as unknown as JsonEvent);
        return;
      }
      // Not one plain object by the scan (glued, cut off, or nested too deep for it): parse.
    }
  }

  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    recoverEvents(line, first, emit);
    return;
  }
  // A line that starts with "{" and parses is an object.
  if (isJsonObject(value)) emit(eventFromObject(value, line));
  else emit(textEvent(line));
}

/** The value of a leading `"type"` key, when the line starts with one and it has no escapes. */
function sniffLeadingType(line: string, first: number): string | undefined {
  if (!line.startsWith(TYPE_PREFIX, first)) return undefined;
  const from = first + TYPE_PREFIX.length;
  const close = line.indexOf('"', from);
  if (close === -1) return undefined;
  const value = line.slice(from, close);
  return value.indexOf("\\") === -1 ? value : undefined;
}

/**
 * Finds whole events inside a line that is not one valid event. Candidates are the places where
 * an object opens (`{"`); an object found at the start of the line or right after another
 * recovered event is taken as it is. Anywhere else it must look like a top-level CLI event
 * (a string `type` plus a `uuid` or `session_id`): a broken event still contains whole nested
 * objects, such as its content blocks, and those must not come out as events.
 */
export function recoverEvents(line: string, first: number, emit: (event: StreamEvent) => void): void {
  // Work is bounded however the line is built: a few passes over it at most.
  let budget = 4 * line.length + 4096;
  let emittedTo = 0; // everything before this index has been emitted
  let topLevelAt = first; // where an object would sit at the top level of the line
  let searchFrom = first;

  while (budget > 0) {
    const at = line.indexOf('{"', searchFrom);
    if (at === -1) break;
    const scan = scanObject(line, at);
    budget -= Math.max(scan.scanned, 1);
    if (scan.end === -1) {
      searchFrom = at + 1;
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line.slice(at, scan.end));
    } catch {
      searchFrom = at + 1;
      continue;
    }
    const atTopLevel = at === topLevelAt;
    if (!isJsonObject(value) || (!atTopLevel && !looksLikeCliEvent(value))) {
      // A nested object of a broken event: nothing inside it can be a top-level event.
      searchFrom = scan.end;
      continue;
    }
    if (at > emittedTo && firstNonBlank(line.slice(emittedTo, at), 0) !== -1) emit(textEvent(line.slice(emittedTo, at)));
    emit(eventFromObject(value, line.slice(at, scan.end)));
    emittedTo = scan.end;
    searchFrom = scan.end;
    const next = firstNonBlank(line, scan.end);
    topLevelAt = next === -1 ? line.length : next;
  }

  if (emittedTo === 0) {
    emit(textEvent(line));
    return;
  }
  if (firstNonBlank(line, emittedTo) !== -1) emit(textEvent(line.slice(emittedTo)));
}

function looksLikeCliEvent(value: Record<string, unknown>): boolean {
  return typeof value.type === "string" && (typeof value.uuid === "string" || typeof value.session_id === "string");
}

function firstNonBlank(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return i;
  }
  return -1;
}
