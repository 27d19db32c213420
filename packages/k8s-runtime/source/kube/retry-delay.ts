/**
 * How long to wait before attempt `attempt + 1`: the server's Retry-After when it gave one
 * (capped, so a bogus header cannot stall a run), else exponential back-off with jitter
 * (250 ms, 500 ms, 1 s, ... capped at 8 s) so that many runs retrying at once spread out.
 */
export function retryDelayMs(attempt: number, retryAfterSeconds: number | undefined, random: () => number = Math.random): number {
  if (retryAfterSeconds !== undefined && retryAfterSeconds >= 0) return Math.min(retryAfterSeconds, 30) * 1000;
  const base = Math.min(8000, 250 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + random() * (base / 2));
}
