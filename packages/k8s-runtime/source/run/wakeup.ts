import { type LongTimeout, setLongTimeout } from "../kube/long-timeout.ts";

/**
 * The reconcile loop's doorbell: watch events, an abort or a timer ring it, the loop waits
 * for it. A ring while nobody waits is kept, so no change between two looks is missed.
 */
export class Wakeup {
  #pending = false;
  #waiter: (() => void) | undefined;

  wake(): void {
    this.#pending = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }

  /** Resolves at the next ring (at once if one came since the last wait), or after `ms` (undefined: no limit). */
  wait(ms?: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let timer: LongTimeout | undefined;
      const done = () => {
        timer?.clear();
        this.#pending = false;
        if (this.#waiter === done) this.#waiter = undefined;
        resolve();
      };
      this.#waiter = done;
      if (ms !== undefined) timer = setLongTimeout(done, Math.max(0, ms));
    });
  }
}
