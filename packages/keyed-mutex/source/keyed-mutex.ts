import { LockWaitAbortedError, LockWaitTimeoutError } from "./errors.ts";
import { type WaitNode, WaitQueue } from "./wait-queue.ts";

export interface LockOptions {
  /** Abort while waiting: the waiter leaves the queue and the promise rejects with `LockWaitAbortedError`. Once the lock is held, the signal no longer matters. */
  signal?: AbortSignal;
  /** Longest time to wait for the lock, in milliseconds; then `LockWaitTimeoutError`. Default: wait as long as it takes. */
  timeoutMs?: number;
}

export class KeyedMutex<K = string> {
  /** A key is in the map exactly while somebody holds it; the value is the FIFO of its waiters. */
  readonly #held = new Map<K, WaitQueue>();

  /** Runs `fn` while holding the lock on `key`; waiters on one key run one at a time, in arrival order. */
  withLock<T>(key: K, fn: () => T | PromiseLike<T>, options: LockOptions = {}): Promise<T> {
    const acquired = this.#acquire(key, options);
    // The uncontended path allocates no promise of its own: locks are cheap when nobody waits.
    return acquired === true ? this.#runHolding(key, fn) : acquired.then(() => this.#runHolding(key, fn));
  }

  /** True while somebody holds `key` (waiters only wait while it is held). */
  isLocked(key: K): boolean {
    return this.#held.has(key);
  }

  /** Number of keys held or awaited; 0 whenever the mutex is idle. */
  get size(): number {
    return this.#held.size;
  }

  #runHolding<T>(key: K, fn: () => T | PromiseLike<T>): Promise<T> {
    let result: T | PromiseLike<T>;
    try {
      result = fn();
    } catch (error) {
      this.#release(key);
      return Promise.reject(error);
    }
    return Promise.resolve(result).then(
      (value) => {
        this.#release(key);
        return value;
      },
      (error: unknown) => {
        this.#release(key);
        throw error;
      },
    );
  }

  /** `true` when the lock was free and is now ours; otherwise a promise for our turn. */
  #acquire(key: K, { signal, timeoutMs }: LockOptions): true | Promise<void> {
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
      return Promise.reject(
        new RangeError(`timeoutMs must be a finite number >= 0 (milliseconds), got ${String(timeoutMs)}`),
      );
    }
    if (signal?.aborted) return Promise.reject(new LockWaitAbortedError(key, signal.reason));

    const queue = this.#held.get(key);
    if (queue === undefined) {
      this.#held.set(key, new WaitQueue());
      return true;
    }

    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (): void => {
        queue.remove(waiter);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const waiter: WaitNode = {
        grant: () => {
          settle();
          resolve();
        },
        previous: undefined,
        next: undefined,
        queued: false,
      };
      const onAbort = (): void => {
        settle();
        reject(new LockWaitAbortedError(key, signal?.reason));
      };
      queue.push(waiter);
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
    const next = queue.shift();
    if (next === undefined) {
      this.#held.delete(key);
      return;
    }
    // Hand the lock straight to the next waiter: the key stays held, nobody can cut in.
    next.grant();
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
