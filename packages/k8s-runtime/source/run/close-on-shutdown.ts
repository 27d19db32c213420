export interface CloseOnShutdownOptions {
  signals?: readonly NodeJS.Signals[];
  /** How long `close` may take before the signal goes on regardless. */
  graceMs?: number;
}

/**
 * On SIGTERM (or SIGINT), runs `close` (stop the owner heartbeats, give the Leases back, so
 * another process sees this one gone at once instead of after the staleness window), then
 * lets the signal do what it would have done: when nothing else listens for it, the process
 * ends by it. Returns a function that removes the hook.
 */
export function closeOnShutdown(close: () => Promise<void>, options: CloseOnShutdownOptions = {}): () => void {
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  const graceMs = options.graceMs ?? 5000;
  let handled = false;
  const remove = () => {
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    remove();
    if (handled) return;
    handled = true;
    let passedOn = false;
    const passOn = () => {
      if (passedOn) return;
      passedOn = true;
      // Someone else (the server) handles the signal: its exit is its own business.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    setTimeout(passOn, graceMs).unref();
    close().then(passOn, passOn);
  }
  for (const signal of signals) process.on(signal, onSignal);
  return remove;
}
