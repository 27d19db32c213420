// ./dev bench keyed-mutex: lock throughput and memory kept after many distinct keys, against
// the naive design (a Map of promise chains that is never pruned), measured in the same run.
import { KeyedMutex } from "./keyed-mutex.ts";

/** The naive per-key lock: chain each holder onto the previous promise; entries are never removed. */
class PromiseChainMutex {
  readonly chains = new Map<unknown, Promise<unknown>>();
  withLock<T>(key: unknown, fn: () => T | PromiseLike<T>): Promise<T> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    this.chains.set(
      key,
      next.catch(() => undefined),
    );
    return next;
  }
}

interface Lockable {
  withLock<T>(key: unknown, fn: () => T | PromiseLike<T>): Promise<T>;
}

async function opsPerSecond(mutex: Lockable, keys: number, operations: number): Promise<number> {
  const started = process.hrtime.bigint();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < operations; i++) pending.push(mutex.withLock(`key-${i % keys}`, () => i));
  await Promise.all(pending);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return operations / seconds;
}

async function retainedBytesAfterDistinctKeys(make: () => Lockable, keys: number): Promise<number> {
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const mutex = make();
  for (let i = 0; i < keys; i++) await mutex.withLock(`agent-${i}`, () => i);
  globalThis.gc?.();
  const after = process.memoryUsage().heapUsed;
  // Keep the mutex alive until after the measurement.
  if ((mutex as { size?: number }).size === -1) console.log("unreachable");
  return Math.max(0, after - before);
}

const operations = 200_000;
const rows: string[][] = [];
for (const keys of [1, 100, 10_000]) {
  // Warm both once, then measure.
  await opsPerSecond(new KeyedMutex(), keys, 10_000);
  await opsPerSecond(new PromiseChainMutex(), keys, 10_000);
  const ours = await opsPerSecond(new KeyedMutex(), keys, operations);
  const naive = await opsPerSecond(new PromiseChainMutex(), keys, operations);
  rows.push([`${operations} locks over ${keys} key(s)`, fmt(ours), fmt(naive), `${(ours / naive).toFixed(2)}x`]);
}

const distinct = 100_000;
const oursBytes = await retainedBytesAfterDistinctKeys(() => new KeyedMutex(), distinct);
const naiveBytes = await retainedBytesAfterDistinctKeys(() => new PromiseChainMutex(), distinct);

console.log("| workload | keyed-mutex ops/s | promise-chain map ops/s | ratio |");
console.log("|---|---|---|---|");
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
console.log();
console.log(`| heap kept after ${distinct} distinct keys, all released | keyed-mutex | promise-chain map |`);
console.log("|---|---|---|");
console.log(`| bytes | ${(oursBytes / 1024).toFixed(0)} KiB | ${(naiveBytes / 1024).toFixed(0)} KiB |`);
if (!globalThis.gc) console.log("\n(run with node --expose-gc for exact heap figures; ./dev bench does)");

function fmt(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}
