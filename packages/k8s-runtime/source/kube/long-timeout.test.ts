import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_SET_TIMEOUT_MS, setLongTimeout } from "./long-timeout.ts";

const DAY_MS = 24 * 3600 * 1000;

describe("setLongTimeout", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("waits out a 30-day delay (past setTimeout's 2^31-1 ms) instead of firing at once", () => {
    const fired = vi.fn();
    setLongTimeout(fired, 30 * DAY_MS);
    vi.advanceTimersByTime(MAX_SET_TIMEOUT_MS);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(30 * DAY_MS - MAX_SET_TIMEOUT_MS - 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
  });

  it("fires a short delay once, on time", () => {
    const fired = vi.fn();
    setLongTimeout(fired, 1000);
    vi.advanceTimersByTime(999);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
  });

  it("never fires once cleared, even between two links of the chain", () => {
    const fired = vi.fn();
    const timeout = setLongTimeout(fired, 60 * DAY_MS);
    vi.advanceTimersByTime(MAX_SET_TIMEOUT_MS + 5);
    timeout.clear();
    vi.advanceTimersByTime(60 * DAY_MS);
    expect(fired).not.toHaveBeenCalled();
  });

  it("refuses a delay that is not a finite number >= 0", () => {
    for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => setLongTimeout(() => {}, ms)).toThrow(RangeError);
  });
});
