import { afterEach, describe, expect, it, vi } from "vitest";
import { LockWaitAbortedError, LockWaitTimeoutError } from "./errors.ts";
import { defaultMutex, isLocked, KeyedMutex, withLock } from "./keyed-mutex.ts";

/** A promise with its resolve function outside, to hold a lock open as long as a test wants. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe("KeyedMutex", () => {
  it("returns what fn returns and is idle afterwards", async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.withLock("a", () => 42)).resolves.toBe(42);
    await expect(mutex.withLock("a", async () => "x")).resolves.toBe("x");
    expect(mutex.size).toBe(0);
    expect(mutex.isLocked("a")).toBe(false);
  });

  it("runs holders of one key one at a time, in arrival order", async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    const first = gate();
    const a = mutex.withLock("k", async () => {
      order.push("a:start");
      await first.promise;
      order.push("a:end");
    });
    const b = mutex.withLock("k", () => {
      order.push("b");
    });
    const c = mutex.withLock("k", () => {
      order.push("c");
    });
    await tick();
    expect(order).toEqual(["a:start"]);
    expect(mutex.isLocked("k")).toBe(true);
    first.open();
    await Promise.all([a, b, c]);
    expect(order).toEqual(["a:start", "a:end", "b", "c"]);
    expect(mutex.size).toBe(0);
  });

  it("lets different keys run at the same time", async () => {
    const mutex = new KeyedMutex();
    const hold = gate();
    const running: string[] = [];
    const a = mutex.withLock("a", async () => {
      running.push("a");
      await hold.promise;
    });
    const b = mutex.withLock("b", async () => {
      running.push("b");
      await hold.promise;
    });
    await tick();
    expect(running.sort()).toEqual(["a", "b"]);
    expect(mutex.size).toBe(2);
    hold.open();
    await Promise.all([a, b]);
    expect(mutex.size).toBe(0);
  });

  it("releases the lock when fn throws, synchronously or not", async () => {
    const mutex = new KeyedMutex();
    await expect(
      mutex.withLock("k", () => {
        throw new Error("sync boom");
      }),
    ).rejects.toThrow("sync boom");
    await expect(mutex.withLock("k", async () => Promise.reject(new Error("async boom")))).rejects.toThrow(
      "async boom",
    );
    expect(mutex.size).toBe(0);
    await expect(mutex.withLock("k", () => "next")).resolves.toBe("next");
  });

  it("removes an aborted waiter from the queue and rejects it with a typed error", async () => {
    const mutex = new KeyedMutex();
    const hold = gate();
    const holder = mutex.withLock("k", () => hold.promise);
    const controller = new AbortController();
    const ran: string[] = [];
    const aborted = mutex.withLock("k", () => ran.push("aborted"), { signal: controller.signal });
    const after = mutex.withLock("k", () => ran.push("after"));
    controller.abort(new Error("caller went away"));
    const error = await aborted.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockWaitAbortedError);
    expect((error as LockWaitAbortedError).code).toBe("LOCK_WAIT_ABORTED");
    expect((error as LockWaitAbortedError).key).toBe("k");
    expect((error as Error).cause).toEqual(new Error("caller went away"));
    hold.open();
    await Promise.all([holder, after]);
    expect(ran).toEqual(["after"]);
    expect(mutex.size).toBe(0);
  });

  it("rejects at once when the signal is already aborted, without touching the lock", async () => {
    const mutex = new KeyedMutex();
    const fn = vi.fn();
    await expect(mutex.withLock("k", fn, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      LockWaitAbortedError,
    );
    expect(fn).not.toHaveBeenCalled();
    expect(mutex.size).toBe(0);
  });

  it("ignores an abort that comes after the lock was granted", async () => {
    const mutex = new KeyedMutex();
    const controller = new AbortController();
    const result = await mutex.withLock(
      "k",
      async () => {
        controller.abort();
        await tick();
        return "finished";
      },
      { signal: controller.signal },
    );
    expect(result).toBe("finished");
  });

  it("times out a waiter with a typed error and keeps the queue moving", async () => {
    vi.useFakeTimers();
    const mutex = new KeyedMutex();
    const hold = gate();
    const holder = mutex.withLock("k", () => hold.promise);
    const timedOut = mutex.withLock("k", () => "never", { timeoutMs: 100 });
    const patient = mutex.withLock("k", () => "patient");
    const settled = timedOut.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    const error = await settled;
    expect(error).toBeInstanceOf(LockWaitTimeoutError);
    expect(error).toMatchObject({ code: "LOCK_WAIT_TIMEOUT", key: "k", timeoutMs: 100 });
    hold.open();
    await expect(patient).resolves.toBe("patient");
    await holder;
    expect(mutex.size).toBe(0);
  });

  it("does not time out a waiter that got the lock in time", async () => {
    vi.useFakeTimers();
    const mutex = new KeyedMutex();
    const hold = gate();
    const holder = mutex.withLock("k", () => hold.promise);
    const waiter = mutex.withLock("k", () => "got it", { timeoutMs: 100 });
    await vi.advanceTimersByTimeAsync(50);
    hold.open();
    await expect(waiter).resolves.toBe("got it");
    await vi.advanceTimersByTimeAsync(100);
    await holder;
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("refuses timeoutMs %s with a message naming it", async (bad) => {
    const mutex = new KeyedMutex();
    await expect(mutex.withLock("k", () => 1, { timeoutMs: bad })).rejects.toThrow(
      `timeoutMs must be a finite number >= 0 (milliseconds), got ${String(bad)}`,
    );
    expect(mutex.size).toBe(0);
  });

  it("keeps object keys apart by identity", async () => {
    const mutex = new KeyedMutex<object>();
    const one = {};
    const two = {};
    const hold = gate();
    const a = mutex.withLock(one, () => hold.promise);
    expect(mutex.isLocked(one)).toBe(true);
    expect(mutex.isLocked(two)).toBe(false);
    hold.open();
    await a;
  });
});

describe("module-level withLock", () => {
  it("shares one process-wide mutex", async () => {
    const hold = gate();
    const first = withLock("shared-key", () => hold.promise);
    expect(isLocked("shared-key")).toBe(true);
    expect(defaultMutex.size).toBe(1);
    hold.open();
    await first;
    expect(isLocked("shared-key")).toBe(false);
    expect(defaultMutex.size).toBe(0);
  });
});
