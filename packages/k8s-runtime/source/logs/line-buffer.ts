/**
 * Splits a byte stream into lines on "\n" without ever decoding half a character: bytes
 * are kept until a newline, then the whole line is decoded. A line longer than
 * `maxLineBytes` is dropped (reported through `onOversized`) and skipped up to its end, so
 * memory stays bounded whatever arrives.
 */
export class LineBuffer {
  readonly #maxLineBytes: number;
  readonly #onOversized: (bytes: number) => void;
  #parts: Buffer[] = [];
  #size = 0;
  #skipping = false;
  #skipped = 0;

  constructor(options: { maxLineBytes: number; onOversized: (bytes: number) => void }) {
    this.#maxLineBytes = options.maxLineBytes;
    this.#onOversized = options.onOversized;
  }

  /** Whole lines (without the newline) completed by this chunk. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      this.#append(chunk.subarray(start, end));
      if (newline === -1) break;
      const line = this.#take();
      if (line !== undefined) lines.push(line);
      start = newline + 1;
    }
    return lines;
  }

  /** The unterminated rest (the stream ended without a final newline), or undefined. */
  flush(): string | undefined {
    if (this.#size === 0 && !this.#skipping) return undefined;
    return this.#take();
  }

  /** Forget an unterminated rest: a resumed stream will deliver that line again, whole. */
  discard(): void {
    this.#parts = [];
    this.#size = 0;
    this.#skipping = false;
    this.#skipped = 0;
  }

  #append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.#skipping) {
      this.#skipped += bytes.length;
      return;
    }
    if (this.#size + bytes.length > this.#maxLineBytes) {
      this.#skipping = true;
      this.#skipped = this.#size + bytes.length;
      this.#parts = [];
      this.#size = 0;
      return;
    }
    this.#parts.push(Buffer.from(bytes));
    this.#size += bytes.length;
  }

  #take(): string | undefined {
    if (this.#skipping) {
      this.#onOversized(this.#skipped);
      this.discard();
      return undefined;
    }
    const line = Buffer.concat(this.#parts, this.#size).toString("utf8");
    this.#parts = [];
    this.#size = 0;
    return line;
  }
}
