// createStreamParser: chunks in, typed events out, a running summary alongside.
import type { Deduper } from "./deduper.ts";
import type { DiagnosticEvent, StreamEvent } from "./events.ts";
import { eventsFromLine } from "./line-events.ts";
import { type Chunk, LineSplitter } from "./line-splitter.ts";
import { type RunSummary, createSummarizer } from "./summary.ts";

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface StreamParserOptions {
  /**
   * A line longer than this many bytes (without its line ending) is dropped as it arrives and
   * reported with a `diagnostic` event, so memory stays bounded. Default 64 MiB.
   */
  maxLineBytes?: number;
  /**
   * Drops events already seen (by `uuid`) before they are returned or summarised: pass one when
   * the input is a log re-read from an overlapping point. Default: none.
   */
  deduper?: Deduper;
}

export interface StreamParser {
  /** Feeds a chunk (split anywhere) and returns the events completed by it, in order. */
  write(chunk: Chunk): StreamEvent[];
  /** Feeds an optional last chunk, flushes a final line without a line ending, and returns its events. */
  end(chunk?: Chunk): StreamEvent[];
  /** The summary of every event returned so far (callable at any time). */
  summary(): RunSummary;
}

export function createStreamParser(options: StreamParserOptions = {}): StreamParser {
  const maxLineBytes = validateMaxLineBytes(options.maxLineBytes);
  const deduper = options.deduper;
  if (deduper !== undefined && typeof deduper?.accept !== "function") {
    throw new TypeError(`createStreamParser: options.deduper must come from createDeduper(); got ${describe(deduper)}.`);
  }
  const summarizer = createSummarizer();
  let out: StreamEvent[] = [];
  let ended = false;

  const emit = (event: StreamEvent): void => {
    if (deduper !== undefined && !deduper.accept(event)) return;
    summarizer.add(event);
    out.push(event);
  };
  const splitter = new LineSplitter(maxLineBytes, {
    line: (text) => eventsFromLine(text, emit),
    oversized: (bytes) => emit(lineTooLong(bytes, maxLineBytes)),
  });
  const take = (): StreamEvent[] => {
    const events = out;
    out = [];
    return events;
  };

  return {
    write(chunk) {
      if (ended) throw new Error("createStreamParser: write() after end(); create a new parser for a new stream.");
      checkChunk(chunk, "write");
      splitter.push(chunk);
      return take();
    },
    end(chunk) {
      if (ended) throw new Error("createStreamParser: end() called twice; create a new parser for a new stream.");
      if (chunk !== undefined) {
        checkChunk(chunk, "end");
        splitter.push(chunk);
      }
      ended = true;
      splitter.end();
      return take();
    },
    summary: () => summarizer.summary(),
  };
}

function lineTooLong(bytes: number, maxLineBytes: number): DiagnosticEvent {
  return {
    kind: "diagnostic",
    uuid: undefined,
    code: "line_too_long",
    bytes,
    message: `dropped a line of ${bytes} bytes: longer than maxLineBytes (${maxLineBytes}); raise maxLineBytes if such lines are expected`,
  };
}

function validateMaxLineBytes(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_LINE_BYTES;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(
      `createStreamParser: maxLineBytes must be a positive whole number of bytes; got ${describe(value)}. Leave it out for the default (${DEFAULT_MAX_LINE_BYTES}, 64 MiB).`,
    );
  }
  return value;
}

function checkChunk(chunk: unknown, method: string): void {
  if (typeof chunk !== "string" && !(chunk instanceof Uint8Array)) {
    throw new TypeError(`createStreamParser: ${method}() takes a Buffer, Uint8Array or string; got ${describe(chunk)}.`);
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `an object (${Object.prototype.toString.call(value)})`;
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  return `${typeof value} ${String(value)}`;
}
