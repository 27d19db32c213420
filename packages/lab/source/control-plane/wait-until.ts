import type { ManagedProcess } from "./managed-process.ts";

export type WaitOptions = {
  /** Named in the error: "kube-apiserver /readyz". */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Fail at once, with its log, if this process exits while we wait. */
  process?: ManagedProcess;
};

/**
 * Polls `probe` until it returns true. Polling is right here: these are one-off start-up
 * checks of processes we just launched, not a steady-state loop.
 */
export async function waitUntil(probe: () => Promise<boolean | string>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last = "no answer yet";
  for (;;) {
    if (options.process && !options.process.isRunning()) {
      const exit = await options.process.exited;
      throw new Error(
        `lab: ${options.process.name} exited (${exit.signal ?? `code ${exit.code}`}) while waiting for ${options.what}; ` +
          `log ${options.process.logPath}:\n${options.process.logTail()}`,
      );
    }
    try {
      const answer = await probe();
      if (answer === true) return;
      if (typeof answer === "string") last = answer;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) {
      const log = options.process ? `; log ${options.process.logPath}:\n${options.process.logTail()}` : "";
      throw new Error(`lab: ${options.what} not ready after ${options.timeoutMs} ms (last: ${last})${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}
