// Bytes (or strings) split anywhere -> whole lines.
//
// Lines are cut on the newline byte before decoding: 0x0A never occurs inside a multi-byte UTF-8
// sequence, so a character split across chunks is whole again by the time its line is decoded,
// and no decoder state has to survive between chunks. A line that grows past `maxLineBytes` is
// dropped while it is still arriving (its bytes are counted, not kept), so memory stays bounded
// whatever the input.

export type Chunk = Uint8Array | string;

export interface LineSink {
  line(text: string): void;
  /** A line longer than the limit was dropped; `bytes` is its length without the line ending. */
  oversized(bytes: number): void;
}

const LF = 10;
const CR = 13;

export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #sink: LineSink;
  readonly #decoder = new TextDecoder();
  readonly #encoder = new TextEncoder();
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  // While dropping an oversized line: how many bytes so far, and the last one (a CR before the
  // LF is part of the line ending, not of the line).
  #skipping = false;
  #skippedBytes = 0;
  #lastSkippedByte = -1;

  constructor(maxLineBytes: number, sink: LineSink) {
    this.#maxLineBytes = maxLineBytes;
    this.#sink = sink;
  }

  push(chunk: Chunk): void {
    const bytes = typeof chunk === "string" ? this.#encoder.encode(chunk) : chunk;
    const n = bytes.length;
    let pos = 0;
    while (pos < n) {
      const lf = bytes.indexOf(LF, pos);
      if (lf === -1) {
        this.#hold(bytes, pos, n);
        return;
      }
      this.#finish(bytes, pos, lf);
      pos = lf + 1;
    }
  }

  /** Flushes a last line that had no line ending. */
  end(): void {
    if (this.#skipping || this.#pendingBytes > 0) this.#finish(new Uint8Array(0), 0, 0);
  }

  #hold(bytes: Uint8Array, from: number, to: number): void {
    const length = to - from;
    if (this.#skipping) {
      this.#skip(bytes, to, length);
      return;
    }
    // One byte of headroom: a trailing CR may turn out to be part of the line ending.
    if (this.#pendingBytes + length > this.#maxLineBytes + 1) {
      this.#skipping = true;
      this.#skippedBytes = this.#pendingBytes;
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#skip(bytes, to, length);
      return;
    }
    // Copy: the caller may reuse its buffer once write() returns.
    this.#pending.push(bytes.slice(from, to));
    this.#pendingBytes += length;
  }

  #skip(bytes: Uint8Array, to: number, length: number): void {
    this.#skippedBytes += length;
    if (length > 0) this.#lastSkippedByte = bytes[to - 1]!;
  }

  #finish(bytes: Uint8Array, from: number, to: number): void {
    if (this.#skipping) {
      this.#skip(bytes, to, to - from);
      const total = this.#skippedBytes - (this.#lastSkippedByte === CR ? 1 : 0);
      this.#skipping = false;
      this.#skippedBytes = 0;
      this.#lastSkippedByte = -1;
      this.#sink.oversized(total);
      return;
    }
    let line: Uint8Array;
    if (this.#pendingBytes === 0) {
      line = bytes.subarray(from, to);
    } else {
      line = new Uint8Array(this.#pendingBytes + (to - from));
      let offset = 0;
      for (const piece of this.#pending) {
        line.set(piece, offset);
        offset += piece.length;
      }
      line.set(bytes.subarray(from, to), offset);
      this.#pending = [];
      this.#pendingBytes = 0;
    }
    const length = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
    if (length > this.#maxLineBytes) {
      this.#sink.oversized(length);
      return;
    }
    this.#sink.line(this.#decoder.decode(line.subarray(0, length)));
  }
}
