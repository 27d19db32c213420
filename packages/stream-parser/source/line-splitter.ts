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
  // The start of a line that is still arriving, in one buffer reused from line to line (a
  // buffer per piece would mean an off-heap allocation per chunk boundary, which the GC frees
  // late and RSS shows).
  #pending = new Uint8Array(0);
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
      this.#pendingBytes = 0;
      this.#release();
      this.#skip(bytes, to, length);
      return;
    }
    // Copy: the caller may reuse its buffer once write() returns.
    this.#append(bytes.subarray(from, to));
  }

  #append(piece: Uint8Array): void {
    const needed = this.#pendingBytes + piece.length;
    if (needed > this.#pending.length) {
      const doubled = Math.min(Math.max(this.#pending.length * 2, 64 * 1024), this.#maxLineBytes + 1);
      const grown = new Uint8Array(Math.max(needed, doubled));
      grown.set(this.#pending.subarray(0, this.#pendingBytes));
      this.#pending = grown;
    }
    this.#pending.set(piece, this.#pendingBytes);
    this.#pendingBytes = needed;
  }

  /** After an unusually long line, do not keep its buffer. */
  #release(): void {
    if (this.#pending.length > 1024 * 1024) this.#pending = new Uint8Array(0);
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
      this.#append(bytes.subarray(from, to));
      line = this.#pending.subarray(0, this.#pendingBytes);
      this.#pendingBytes = 0;
    }
    const length = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
    const text = length > this.#maxLineBytes ? undefined : this.#decoder.decode(line.subarray(0, length));
    this.#release();
    if (text === undefined) this.#sink.oversized(length);
    else this.#sink.line(text);
  }
}
