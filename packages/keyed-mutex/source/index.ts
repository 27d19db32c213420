export { KeyedMutex, defaultMutex, isLocked, withLock } from "./keyed-mutex.ts";
export type { LockOptions } from "./keyed-mutex.ts";
export { LockWaitAbortedError, LockWaitTimeoutError } from "./errors.ts";
