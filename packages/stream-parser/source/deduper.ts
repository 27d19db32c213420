// Dropping events already seen, for logs re-read from an overlapping point (every CLI event has
// a `uuid`). Remembers the last `window` uuids in a ring, so memory is fixed however long the run.

export const DEFAULT_DEDUPE_WINDOW = 10_000;

export interface DeduperOptions {
  /**
   * How many recent uuids to remember. A replay that goes back further than this many events
   * repeats the older ones, so make it larger than any overlap you re-read. Default 10 000.
   */
  window?: number;
}

export interface Deduper {
  /** True the first time a uuid is offered (and remembers it); false for a repeat. Events without a uuid always pass. */
  accept(event: { readonly uuid?: string | undefined }): boolean;
  /** How many uuids are remembered now (at most `window`). */
  readonly size: number;
}

export function createDeduper(options: DeduperOptions = {}): Deduper {
  const window = options.window ?? DEFAULT_DEDUPE_WINDOW;
  if (typeof window !== "number" || !Number.isSafeInteger(window) || window < 1) {
    throw new RangeError(
      `createDeduper: window must be a positive whole number of events; got ${String(window)}. Leave it out for the default (${DEFAULT_DEDUPE_WINDOW}).`,
    );
  }
  const ring: (string | undefined)[] = new Array(window);
  const seen = new Set<string>();
  let next = 0;

  return {
    accept(event) {
      const uuid = event.uuid;
      if (typeof uuid !== "string") return true;
      if (seen.has(uuid)) return false;
      const evicted = ring[next];
      if (evicted !== undefined) seen.delete(evicted);
      ring[next] = uuid;
      next = (next + 1) % window;
      seen.add(uuid);
      return true;
    },
    get size() {
      return seen.size;
    },
  };
}
