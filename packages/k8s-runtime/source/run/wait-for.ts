import type { KubeObject, SharedWatch } from "../kube/shared-watch.ts";

/**
 * Resolves with the first value `check` returns (other than undefined), evaluated on the
 * cached objects now and again on every change of the watch; no polling. Rejects when the
 * signal aborts.
 */
export function waitForWatch<T extends KubeObject, R>(watch: SharedWatch<T>, check: (objects: () => T[]) => R | undefined, signal?: AbortSignal): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    let unsubscribe: (() => void) | undefined;
    let done = false;
    const finish = (outcome: () => void) => {
      if (done) return;
      done = true;
      unsubscribe?.();
      signal?.removeEventListener("abort", onAbort);
      outcome();
    };
    const onAbort = () => finish(() => reject(signal?.reason));
    const evaluate = () => {
      if (done || !watch.isSynced) return;
      let value: R | undefined;
      try {
        value = check(() => watch.list());
      } catch (error) {
        finish(() => reject(error));
        return;
      }
      if (value !== undefined) finish(() => resolve(value as R));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    unsubscribe = watch.subscribe(evaluate);
    // subscribe() replays the cache synchronously: the answer may already be in.
    if (done) unsubscribe();
    else void watch.synced().then(evaluate);
  });
}
