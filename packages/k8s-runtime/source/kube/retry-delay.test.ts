import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./retry-delay.ts";

describe("retryDelayMs", () => {
  it("honours Retry-After, capped at 30 s", () => {
    expect(retryDelayMs(1, 2)).toBe(2000);
    expect(retryDelayMs(5, 0)).toBe(0);
    expect(retryDelayMs(1, 3600)).toBe(30_000);
  });

  it("backs off exponentially with jitter between half and all of the step, capped at 8 s", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, random) => {
        const step = Math.min(8000, 250 * 2 ** (attempt - 1));
        const delay = retryDelayMs(attempt, undefined, () => random);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(step / 2));
        expect(delay).toBeLessThanOrEqual(step);
      }),
    );
    expect(retryDelayMs(1, undefined, () => 0)).toBe(125);
    expect(retryDelayMs(3, undefined, () => 0.999)).toBe(1000);
  });
});
