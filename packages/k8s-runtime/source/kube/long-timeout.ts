/**
 * The largest delay one `setTimeout` takes (2^31-1 ms, about 24.8 days). Node runs a longer
 * delay after 1 ms instead (with a TimeoutOverflowWarning): a 30-day run deadline would
 * fire at once.
 */
export const MAX_SET_TIMEOUT_MS = 2_147_483_647;

export interface LongTimeout {
  clear(): void;
}

/**
 * `setTimeout` for any finite delay: a delay past MAX_SET_TIMEOUT_MS is waited out as a
 * chain of shorter timers. Unref'd: a pending deadline never keeps the process alive.
 */
export function setLongTimeout(callback: () => void, ms: number): LongTimeout {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`setLongTimeout: delay must be a finite number of ms >= 0, got ${ms}`);
  let remaining = ms;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const step = Math.min(remaining, MAX_SET_TIMEOUT_MS);
    remaining -= step;
    timer = setTimeout(() => {
      if (remaining > 0) arm();
      else callback();
    }, step);
    timer.unref();
  };
  arm();
  return {
    clear() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
