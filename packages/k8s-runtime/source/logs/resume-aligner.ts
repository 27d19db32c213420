/**
 * Drops the lines a resumed log stream repeats. The log endpoint can only resume "since a
 * time" with one-second resolution, and the kubelet's clock is not ours, so a reconnect
 * asks for a generous overlap and gets some lines again. Stream-json events carry a uuid
 * (the deduper drops those), but status lines and other text do not, so this aligns the
 * new stream against the tail of what was already delivered: lines that continue a match
 * with that tail are skipped; once the tail is exhausted, everything is new. If the match
 * breaks (it was a coincidence of identical lines), the held-back lines are delivered after
 * all. With distinct lines this yields each line exactly once; identical text lines at a
 * cut are ambiguous by nature, and the longest consistent overlap is taken as repeated.
 *
 * Lines are remembered as 53-bit hashes, so memory is bounded by `maxRemembered` lines,
 * whatever their length.
 */
export class ResumeAligner {
  readonly #maxRemembered: number;
  #history: number[] = [];
  #aligning = false;
  /** While aligning: starts in history whose continuation still matches the held lines. */
  #active: number[] | undefined;
  #held: string[] = [];
  /** The longest overlap found so far: how many held lines repeat history. */
  #bestOverlap = 0;

  constructor(options: { maxRemembered?: number } = {}) {
    this.#maxRemembered = options.maxRemembered ?? 50_000;
  }

  /** A new connection begins; its first lines may repeat what was delivered. Returns lines still owed from the last one. */
  beginResume(): string[] {
    const owed = this.endConnection();
    this.#aligning = this.#history.length > 0;
    this.#active = undefined;
    this.#held = [];
    this.#bestOverlap = 0;
    return owed;
  }

  /** One line of the current connection; returns the lines to deliver now, in order (possibly none). */
  push(line: string): string[] {
    const hash = hashLine(line);
    if (!this.#aligning) {
      this.#remember(hash);
      return [line];
    }
    const offset = this.#held.length;
    const continuing =
      this.#active === undefined
        ? this.#history.flatMap((value, start) => (value === hash ? [start] : []))
        : this.#active.filter((start) => this.#history[start + offset] === hash);
    if (continuing.length === 0) return [...this.#finish(), ...this.#deliver([line])];
    this.#held.push(line);
    // A match that reaches the newest remembered line is a complete overlap; an earlier start
    // that keeps matching would be a longer one, and the longest consistent overlap wins.
    const last = this.#history.length - 1;
    if (continuing.some((start) => start + offset === last)) this.#bestOverlap = this.#held.length;
    this.#active = continuing.filter((start) => start + offset < last);
    return this.#active.length === 0 ? this.#finish() : [];
  }

  /**
   * The connection ended. Held lines that still follow remembered history line for line
   * are repeats cut short (the next connection resumes before them again); a completed
   * overlap is settled as usual.
   */
  endConnection(): string[] {
    if (!this.#aligning) return [];
    if (this.#active && this.#active.length > 0) this.#bestOverlap = this.#held.length;
    return this.#finish();
  }

  #finish(): string[] {
    const fresh = this.#held.slice(this.#bestOverlap);
    this.#aligning = false;
    this.#active = undefined;
    this.#held = [];
    this.#bestOverlap = 0;
    return this.#deliver(fresh);
  }

  #deliver(lines: string[]): string[] {
    for (const line of lines) this.#remember(hashLine(line));
    return lines;
  }

  #remember(hash: number): void {
    this.#history.push(hash);
    if (this.#history.length > this.#maxRemembered * 2) this.#history = this.#history.slice(-this.#maxRemembered);
  }
}

/** cyrb53: a fast, well-mixed 53-bit string hash (collisions are negligible at this scale). */
export function hashLine(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
