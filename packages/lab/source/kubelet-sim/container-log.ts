import { EventEmitter } from "node:events";
import { closeSync, openSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { formatLogTimestamp, type LogQuery } from "./log-query.ts";

// One container instance's stdout+stderr: raw bytes in a file (no CRI framing), plus an
// in-memory index of its records (where each starts and when it was written), which is
// what sinceTime, tailLines and timestamps need. Readers may follow: they get new bytes
// as they are appended, and their stream ends when the container has terminated.
//
// A record is a line, except that a line longer than 16 KiB is cut into 16 KiB records,
// as containerd does. Without timestamps the records join back into the line; with
// timestamps=true each record gets its own timestamp, so a long line comes back with
// timestamps inside it: the real bug (kubernetes#77603) that a client must not trip on.

const readChunkBytes = 64 * 1024;
export const maxRecordBytes = 16 * 1024;

export class ContainerLog {
  readonly path: string;
  #fd: number | undefined;
  #size = 0;
  /** Byte offset of each record, and when its first byte was written. */
  #lineStarts: number[] = [];
  #lineTimes: number[] = [];
  /** Indexes (into #lineStarts) of the records that begin a line: tailLines counts lines. */
  #lineRecords: number[] = [];
  #recordStart = 0;
  #endsWithNewline = true;
  #closed = false;
  readonly #events = new EventEmitter();

  constructor(path: string) {
    this.path = path;
    this.#fd = openSync(path, "w", 0o640);
    this.#events.setMaxListeners(0);
  }

  get size(): number {
    return this.#size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  append(chunk: Buffer, at = Date.now()): void {
    if (this.#fd === undefined || chunk.length === 0) return;
    writeSync(this.#fd, chunk);
    let position = 0;
    while (position < chunk.length) {
      if (this.#endsWithNewline) {
        this.#recordStart = this.#size + position;
        this.#lineRecords.push(this.#lineStarts.length);
        this.#lineStarts.push(this.#recordStart);
        this.#lineTimes.push(at);
        this.#endsWithNewline = false;
      }
      const newline = chunk.indexOf(10, position);
      const contentEnd = this.#size + (newline === -1 ? chunk.length : newline);
      while (contentEnd - this.#recordStart > maxRecordBytes) {
        this.#recordStart += maxRecordBytes;
        this.#lineStarts.push(this.#recordStart);
        this.#lineTimes.push(at);
      }
      if (newline === -1) break;
      position = newline + 1;
      this.#endsWithNewline = true;
    }
    this.#size += chunk.length;
    this.#events.emit("change");
  }

  /** No more output: the container has exited. Followers finish. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#events.emit("change");
  }

  /** The last `maxBytes` of the log, at most `maxLines` lines (FallbackToLogsOnError). */
  async tail(maxLines: number, maxBytes: number): Promise<string> {
    const first = this.#lineRecords[Math.max(0, this.#lineRecords.length - maxLines)] ?? this.#lineStarts.length;
    const start = Math.max(this.#lineStarts[first] ?? this.#size, this.#size - maxBytes);
    const bytes = await this.#readRange(start, this.#size);
    return bytes.toString("utf8");
  }

  /** The log as the kubelet serves it for `query`; stops early when `signal` aborts. */
  async *read(query: LogQuery, signal?: AbortSignal): AsyncGenerator<Buffer> {
    let line = this.#firstLine(query);
    let offset = this.#lineStarts[line] ?? this.#size;
    // tailLines=0 with follow: nothing old, only what comes.
    if (query.tailLines === 0) offset = this.#size;
    let budget = query.limitBytes ?? Number.POSITIVE_INFINITY;
    for (;;) {
      while (offset < this.#size && budget > 0 && !signal?.aborted) {
        let end = Math.min(this.#size, offset + readChunkBytes);
        let prefix = "";
        if (query.timestamps) {
          // One line at a time, each prefixed with the time it was written.
          while (line + 1 < this.#lineStarts.length && (this.#lineStarts[line + 1] ?? 0) <= offset) line++;
          const lineStart = this.#lineStarts[line] ?? 0;
          end = Math.min(end, this.#lineStarts[line + 1] ?? this.#size);
          if (offset === lineStart) prefix = `${formatLogTimestamp(this.#lineTimes[line] ?? 0)} `;
        }
        let chunk = await this.#readRange(offset, end);
        if (prefix) chunk = Buffer.concat([Buffer.from(prefix), chunk]);
        const consumed = end - offset;
        if (chunk.length > budget) chunk = chunk.subarray(0, budget);
        budget -= chunk.length;
        offset += consumed;
        yield chunk;
      }
      if (!query.follow || budget <= 0 || signal?.aborted) return;
      if (offset < this.#size) continue;
      if (this.#closed) return;
      await this.#changed(signal);
    }
  }

  #firstLine(query: LogQuery): number {
    let first = 0;
    if (query.sinceMs !== undefined) {
      // Binary search: the first line written at or after sinceMs.
      let low = 0;
      let high = this.#lineTimes.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((this.#lineTimes[middle] ?? 0) < query.sinceMs) low = middle + 1;
        else high = middle;
      }
      first = low;
    }
    if (query.tailLines !== undefined) {
      const tailStart = query.tailLines === 0 ? this.#lineStarts.length : (this.#lineRecords[this.#lineRecords.length - query.tailLines] ?? 0);
      first = Math.max(first, tailStart);
    }
    return first;
  }

  #changed(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.#events.off("change", done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      this.#events.on("change", done);
      signal?.addEventListener("abort", done);
    });
  }

  async #readRange(start: number, end: number): Promise<Buffer> {
    if (end <= start) return Buffer.alloc(0);
    const handle = await open(this.path, "r");
    try {
      const buffer = Buffer.alloc(end - start);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
}
