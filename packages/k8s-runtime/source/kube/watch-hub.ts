import type { KubeClient } from "./kube-client.ts";
import { type KubeObject, SharedWatch } from "./shared-watch.ts";

export interface WatchKey {
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WatchLease<T extends KubeObject> {
  watch: SharedWatch<T>;
  release(): void;
}

/**
 * One SharedWatch per (collection, selectors) per process, reference-counted. A watch
 * nobody holds lingers a while before it stops, so back-to-back runs reuse it instead of
 * paying a fresh list each time.
 */
export class WatchHub {
  readonly #client: KubeClient;
  readonly #lingerMs: number;
  readonly #log: ((line: string) => void) | undefined;
  readonly #entries = new Map<string, { watch: SharedWatch<KubeObject>; holders: number; stopTimer?: NodeJS.Timeout }>();

  constructor(client: KubeClient, options: { lingerMs?: number; log?: (line: string) => void } = {}) {
    this.#client = client;
    this.#lingerMs = options.lingerMs ?? 60_000;
    this.#log = options.log;
  }

  acquire<T extends KubeObject>(key: WatchKey): WatchLease<T> {
    const id = JSON.stringify([key.path, key.labelSelector ?? "", key.fieldSelector ?? ""]);
    let entry = this.#entries.get(id);
    if (!entry) {
      const watch = new SharedWatch<KubeObject>({ client: this.#client, ...key, ...(this.#log ? { log: this.#log } : {}) }).start();
      entry = { watch, holders: 0 };
      this.#entries.set(id, entry);
    }
    if (entry.stopTimer) {
      clearTimeout(entry.stopTimer);
      delete entry.stopTimer;
    }
    entry.holders += 1;
    const held = entry;
    let released = false;
    return {
      watch: held.watch as unknown as SharedWatch<T>,
      release: () => {
        if (released) return;
        released = true;
        held.holders -= 1;
        if (held.holders > 0) return;
        held.stopTimer = setTimeout(() => {
          if (held.holders === 0 && this.#entries.get(id) === held) {
            this.#entries.delete(id);
            void held.watch.stop();
          }
        }, this.#lingerMs);
        held.stopTimer.unref();
      },
    };
  }

  /** Watches currently open (held or lingering). */
  get size(): number {
    return this.#entries.size;
  }

  async close(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(
      entries.map((entry) => {
        if (entry.stopTimer) clearTimeout(entry.stopTimer);
        return entry.watch.stop();
      }),
    );
  }
}
