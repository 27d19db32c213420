// A structural scan of one JSON object: where it ends, and the few top-level string fields the
// parser needs (type, subtype, uuid, session_id), without building the object.
//
// Why: most of a transcript's bytes are tool output inside `user` events, which the summary
// never reads. JSON.parse has to copy and unescape every byte of those strings; this scan jumps
// over a string with one indexOf call, so its cost grows with the number of tokens, not the
// bytes. It checks the grammar between strings (braces, brackets, commas, colons, numbers,
// literals) but not escapes inside strings: JSON.parse still has the last word when the object
// is finally read.

export interface ObjectScan {
  /** Index just past the object's closing brace, or -1 when the text there is not a whole object. */
  readonly end: number;
  /** How far the scan got (for callers that budget their work). */
  readonly scanned: number;
  readonly type: string | undefined;
  readonly subtype: string | undefined;
  readonly uuid: string | undefined;
  readonly sessionId: string | undefined;
}

const QUOTE = 34;
const BACKSLASH = 92;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

// States of the scan.
const KEY_OR_CLOSE = 0; // just after "{"
const KEY = 1; // after "," in an object
const COLON = 2;
const VALUE_OR_CLOSE = 3; // just after "["
const VALUE = 4;
const AFTER_VALUE = 5;

const IN_OBJECT = 0;
const IN_ARRAY = 1;

/**
 * Deeper nesting fails the scan (the caller then lets JSON.parse decide): CLI events are a few
 * levels deep, and a fixed-size record of open containers keeps a hostile line from costing memory.
 */
export const MAX_SCAN_DEPTH = 512;
// The open containers of the scan in progress (scans never overlap: they are synchronous).
const containers = new Uint8Array(MAX_SCAN_DEPTH);

/** Index just past the closing quote of the string that opens at `quote`, or -1. */
export function stringEnd(text: string, quote: number): number {
  let from = quote + 1;
  for (;;) {
    const close = text.indexOf('"', from);
    if (close === -1) return -1;
    let backslashes = 0;
    for (let i = close - 1; i > quote && text.charCodeAt(i) === BACKSLASH; i--) backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    from = close + 1;
  }
}

function skipBlanks(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13 || c === 10) i++;
    else return i;
  }
}

/** Scans the object that opens at `start` (which must be "{"). */
export function scanObject(text: string, start: number): ObjectScan {
  let type: string | undefined;
  let subtype: string | undefined;
  let uuid: string | undefined;
  let sessionId: string | undefined;
  const fail = (at: number): ObjectScan => ({ end: -1, scanned: at - start, type, subtype, uuid, sessionId });

  if (text.charCodeAt(start) !== 123) return fail(start);
  let depth = 1;
  containers[0] = IN_OBJECT;
  let state = KEY_OR_CLOSE;
  let key = ""; // the last key read at depth 1
  let i = start + 1;
  const n = text.length;

  while (i < n) {
    i = skipBlanks(text, i);
    if (i >= n) break;
    const c = text.charCodeAt(i);
    switch (state) {
      case KEY_OR_CLOSE:
      case KEY: {
        if (c === 125 && state === KEY_OR_CLOSE) {
          depth--;
          i++;
          if (depth === 0) return { end: i, scanned: i - start, type, subtype, uuid, sessionId };
          state = AFTER_VALUE;
          break;
        }
        if (c !== QUOTE) return fail(i);
        const end = stringEnd(text, i);
        if (end === -1) return fail(n);
        if (depth === 1) key = text.slice(i + 1, end - 1);
        i = end;
        state = COLON;
        break;
      }
      case COLON:
        if (c !== 58) return fail(i);
        i++;
        state = VALUE;
        break;
      case VALUE_OR_CLOSE:
      case VALUE: {
        if (c === 93 && state === VALUE_OR_CLOSE) {
          depth--;
          i++;
          state = AFTER_VALUE;
          break;
        }
        if (c === QUOTE) {
          const end = stringEnd(text, i);
          if (end === -1) return fail(n);
          if (depth === 1) {
            // Only plain values are taken: an escaped one would need unescaping, and no CLI
            // writes escapes in these four fields.
            const value = text.slice(i + 1, end - 1);
            if (value.indexOf("\\") === -1) {
              if (key === "type") type = value;
              else if (key === "subtype") subtype = value;
              else if (key === "uuid") uuid = value;
              else if (key === "session_id") sessionId = value;
            }
          }
          i = end;
          state = AFTER_VALUE;
        } else if (c === 123 || c === 91) {
          if (depth === MAX_SCAN_DEPTH) return fail(i);
          containers[depth++] = c === 123 ? IN_OBJECT : IN_ARRAY;
          i++;
          state = c === 123 ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
        } else if (c === 45 || (c >= 48 && c <= 57)) {
          NUMBER.lastIndex = i;
          if (!NUMBER.test(text)) return fail(i);
          i = NUMBER.lastIndex;
          state = AFTER_VALUE;
        } else if (text.startsWith("true", i) || text.startsWith("null", i)) {
          i += 4;
          state = AFTER_VALUE;
        } else if (text.startsWith("false", i)) {
          i += 5;
          state = AFTER_VALUE;
        } else {
          return fail(i);
        }
        break;
      }
      default: {
        // AFTER_VALUE
        const top = containers[depth - 1];
        if (c === 44) {
          i++;
          state = top === IN_OBJECT ? KEY : VALUE;
        } else if ((c === 125 && top === IN_OBJECT) || (c === 93 && top === IN_ARRAY)) {
          depth--;
          i++;
          if (depth === 0) return { end: i, scanned: i - start, type, subtype, uuid, sessionId };
        } else {
          return fail(i);
        }
      }
    }
  }
  return fail(n);
}
