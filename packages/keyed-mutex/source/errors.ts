/** Why a waiter gave up before it got the lock. The `code` is stable; match on it, not on the message. */
export class LockWaitAbortedError extends Error {
  readonly code = "LOCK_WAIT_ABORTED";
  readonly key: unknown;

  constructor(key: unknown, reason: unknown) {
    super(`gave up waiting for the lock on ${String(key)}: the signal was aborted`, { cause: reason });
    this.name = "LockWaitAbortedError";
    this.key = key;
  }
}

export class LockWaitTimeoutError extends Error {
  readonly code = "LOCK_WAIT_TIMEOUT";
  readonly key: unknown;
  readonly timeoutMs: number;

  constructor(key: unknown, timeoutMs: number) {
    super(`gave up waiting for the lock on ${String(key)} after ${timeoutMs} ms: another holder still has it`);
    this.name = "LockWaitTimeoutError";
    this.key = key;
    this.timeoutMs = timeoutMs;
  }
}
