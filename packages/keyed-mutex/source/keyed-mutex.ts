import { LockWaitAbortedError, LockWaitTimeoutError } from "./errors.ts";

export interface LockOptions {
  /** Abort while waiting: the waiter leaves the queue and the promise rejects with `LockWaitAbortedError`. Once the lock is held, the signal no longer matters. */
  signal?: AbortSignal;
  /** Longest time to wait for the lock, in milliseconds; then `LockWaitTimeoutError`. Default: wait as long as it takes. */
  timeoutMs?: number;
}

interface Waiter {
  grant(): void;
}

/**
 * A key is in the map exactly while somebody holds it; its set of waiters keeps
 * insertion order (FIFO) and allows O(1) removal of a waiter that gives up.
 */
type Queue = Set<Waiter>;

export class KeyedMutex<K = string> {
  readonly #held = new Map<K, Queue>();

  /** Runs `fn` while holding the lock on `key`; waiters on one key run one at a time, in arrival order. */
  async withLock<T>(key: K, fn: () => T | PromiseLike<T>, options: LockOptions = {}): Promise<T> {
    await this.#acquire(key, options);
    try {
      return await fn();
    } finally {
      this.#release(key);
    }
  }

  /** True while somebody holds `key` (waiters only wait while it is held). */
  isLocked(key: K): boolean {
    return this.#held.has(key);
  }

  /** Number of keys held or awaited; 0 whenever the mutex is idle. */
  get size(): number {
    return this.#held.size;
  }

  #acquire(key: K, { signal, timeoutMs }: LockOptions): Promise<void> {
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
      return Promise.reject(
        new RangeError(`timeoutMs must be a finite number >= 0 (milliseconds), got ${String(timeoutMs)}`),
      );
    }
    if (signal?.aborted) return Promise.reject(new LockWaitAbortedError(key, signal.reason));

    const queue = this.#held.get(key);
    if (queue === undefined) {
      this.#held.set(key, new Set());
      return Promise.resolve();
    }

    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (): void => {
        queue.delete(waiter);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const waiter: Waiter = {
        grant: () => {
          settle();
          resolve();
        },
      };
      const onAbort = (): void => {
        settle();
        reject(new LockWaitAbortedError(key, signal?.reason));
      };
      queue.add(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          settle();
          reject(new LockWaitTimeoutError(key, timeoutMs));
        }, timeoutMs);
      }
    });
  }

  #release(key: K): void {
    const queue = this.#held.get(key);
    if (queue === undefined) return;
    const next = queue.values().next();
    if (next.done) {
      this.#held.delete(key);
      return;
    }
    // Hand the lock straight to the next waiter: the key stays held, nobody can cut in.
    next.value.grant();
  }
}

/** The process-wide mutex behind the `withLock` and `isLocked` functions (its `size` is there too). */
export const defaultMutex = new KeyedMutex<unknown>();

/** `withLock` on the process-wide mutex: enough when one module owns the keys it locks. */
export function withLock<T>(key: unknown, fn: () => T | PromiseLike<T>, options?: LockOptions): Promise<T> {
  return defaultMutex.withLock(key, fn, options);
}

/** `isLocked` on the process-wide mutex used by `withLock`. */
export function isLocked(key: unknown): boolean {
  return defaultMutex.isLocked(key);
}
