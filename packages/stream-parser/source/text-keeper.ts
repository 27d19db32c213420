// The assistant text kept for the summary of a run that ends without a result: all of it up to
// a limit, then its beginning and its end, so a run of any length keeps bounded memory and the
// last words (usually the conclusion) are never the part that is cut.

export const DEFAULT_SUMMARY_TEXT_LIMIT = 512 * 1024;

const SEPARATOR = "\n\n";

export class TextKeeper {
  readonly #half: number;
  readonly #head: string[] = [];
  #headLength = 0;
  #tail: string[] = [];
  #tailStart = 0; // blocks before this index in #tail were dropped
  #tailLength = 0;
  #omitted = 0;

  /** `limit`: characters kept at most (half from the start, half from the end). */
  constructor(limit = DEFAULT_SUMMARY_TEXT_LIMIT) {
    this.#half = Math.floor(limit / 2);
  }

  add(block: string): void {
    if (this.#tail.length === 0 && this.#headLength + block.length <= this.#half) {
      this.#head.push(block);
      this.#headLength += block.length;
      return;
    }
    this.#tail.push(block);
    this.#tailLength += block.length;
    while (this.#tailLength > this.#half && this.#tail.length - this.#tailStart > 1) {
      const dropped = this.#tail[this.#tailStart]!;
      this.#tail[this.#tailStart++] = "";
      this.#tailLength -= dropped.length;
      this.#omitted += dropped.length;
    }
    // Compact now and then, so dropped slots do not pile up.
    if (this.#tailStart > 1024 && this.#tailStart * 2 > this.#tail.length) {
      this.#tail = this.#tail.slice(this.#tailStart);
      this.#tailStart = 0;
    }
  }

  text(): string {
    const tail = this.#tail.slice(this.#tailStart);
    if (this.#omitted === 0) return [...this.#head, ...tail].join(SEPARATOR);
    const gap = `[... ${this.#omitted} characters of assistant text left out ...]`;
    return [...this.#head, gap, ...tail].join(SEPARATOR);
  }
}
