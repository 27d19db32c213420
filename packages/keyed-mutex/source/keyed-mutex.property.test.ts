import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LockWaitAbortedError, LockWaitTimeoutError } from "./errors.ts";
import { KeyedMutex } from "./keyed-mutex.ts";

type Kind = "normal" | "throw" | "abort" | "timeout";
interface Op {
  key: number;
  kind: Kind;
  timeoutMs: number;
}

const opArbitrary: fc.Arbitrary<Op> = fc.record({
  key: fc.integer({ min: 0, max: 2 }),
  kind: fc.constantFrom<Kind>("normal", "throw", "abort", "timeout"),
  timeoutMs: fc.integer({ min: 0, max: 2 }),
});

type Settlement = "ok" | "threw" | "aborted" | "timeout";

/** Releases scheduled tasks one by one; when none is queued, lets real timers (timeouts) fire. */
async function drive(scheduler: fc.Scheduler, done: () => boolean): Promise<void> {
  while (!done()) {
    if (scheduler.count() > 0) await scheduler.waitOne();
    else await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe("KeyedMutex under random interleavings", () => {
  it("never has two holders of a key, is FIFO among waiters that stayed, settles everyone and ends empty", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(opArbitrary, { minLength: 1, maxLength: 16 }), async (s, ops) => {
        const mutex = new KeyedMutex<number>();
        const holders = new Map<number, number>();
        const callOrder = new Map<number, number[]>();
        const enterOrder = new Map<number, number[]>();
        let overlap = false;
        const append = (map: Map<number, number[]>, key: number, index: number) => {
          map.set(key, [...(map.get(key) ?? []), index]);
        };

        let settledCount = 0;
        const settlements: Promise<Settlement>[] = ops.map((op, index) =>
          s.schedule(Promise.resolve(), `call ${index}`).then(() => {
            const controller = new AbortController();
            append(callOrder, op.key, index);
            const attempt = mutex.withLock(
              op.key,
              async () => {
                const count = (holders.get(op.key) ?? 0) + 1;
                holders.set(op.key, count);
                if (count > 1) overlap = true;
                append(enterOrder, op.key, index);
                await s.schedule(Promise.resolve(), `hold ${index}`);
                holders.set(op.key, (holders.get(op.key) ?? 1) - 1);
                if (op.kind === "throw") throw new Error("fn failed");
              },
              {
                signal: controller.signal,
                ...(op.kind === "timeout" ? { timeoutMs: op.timeoutMs } : {}),
              },
            );
            if (op.kind === "abort") void s.schedule(Promise.resolve(), `abort ${index}`).then(() => controller.abort());
            return attempt
              .then(
                (): Settlement => "ok",
                (error: unknown): Settlement =>
                  error instanceof LockWaitAbortedError
                    ? "aborted"
                    : error instanceof LockWaitTimeoutError
                      ? "timeout"
                      : "threw",
              )
              .finally(() => {
                settledCount += 1;
              });
          }),
        );

        await drive(s, () => settledCount === ops.length);
        const results = await Promise.all(settlements);

        expect(overlap).toBe(false);
        const entered = new Set([...enterOrder.values()].flat());
        for (const [key, calls] of callOrder) {
          expect(enterOrder.get(key) ?? []).toEqual(calls.filter((index) => entered.has(index)));
        }
        results.forEach((result, index) => {
          if (entered.has(index)) expect(["ok", "threw"]).toContain(result);
          else expect(["aborted", "timeout"]).toContain(result);
          if (result === "aborted") expect(ops[index]?.kind).toBe("abort");
          if (result === "timeout") expect(ops[index]?.kind).toBe("timeout");
        });
        expect(mutex.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
