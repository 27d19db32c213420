export type ReduceOptions = {
  /** Most UTF-8 bytes of text the model gets from one tool call, markers included. Default 50000. */
  maxBytes?: number;
  /**
   * Claude Code's own inline limit for Bash output, in characters (2.1.330: 30000, or
   * BASH_MAX_OUTPUT_LENGTH). Anything longer, the replacement included, is saved to a file
   * and the model sees only a 2 KB preview; so Bash results are cut below it. Default 30000.
   */
  inlineLimit?: number;
  /**
   * Budget for Bash outputs Claude Code persisted (over its inline limit; `persistedOutputPath`
   * in the response). Claude itself would show a 2 KB preview and the file's path; the model
   * can Read the file, so a small head and tail plus every error line is enough, and an
   * inlined 30 KB would cost more than no hook at all. Default 8000; never above maxBytes.
   */
  persistedMaxBytes?: number;
  /**
   * The full output when Claude Code persisted it (`persistedOutputPath`): its tool_response
   * then holds only the first 30000 characters. The hook bin reads the file; the pure core
   * does no I/O. Without it the reduction works on the truncated copy.
   */
  fullOutput?: string;
};

export type ResolvedOptions = { maxBytes: number; inlineLimit: number; persistedMaxBytes: number; fullOutput: string | undefined };

export const defaultMaxBytes = 50_000;
export const defaultInlineLimit = 30_000;
export const defaultPersistedMaxBytes = 8_000;
/** Below this a cut leaves no room for a useful head, tail and marker. */
export const minimumBudget = 1_000;

function checkBudget(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < minimumBudget) {
    throw new RangeError(`rtk-hook: ${name} must be an integer >= ${minimumBudget} (UTF-8 bytes), got ${JSON.stringify(value)}`);
  }
  return value;
}

export function resolveOptions(options: ReduceOptions = {}): ResolvedOptions {
  if (options.fullOutput !== undefined && typeof options.fullOutput !== "string") {
    throw new TypeError(`rtk-hook: fullOutput must be a string, got ${typeof options.fullOutput}`);
  }
  return {
    maxBytes: checkBudget("maxBytes", options.maxBytes, defaultMaxBytes),
    inlineLimit: checkBudget("inlineLimit", options.inlineLimit, defaultInlineLimit),
    persistedMaxBytes: checkBudget("persistedMaxBytes", options.persistedMaxBytes, defaultPersistedMaxBytes),
    fullOutput: options.fullOutput,
  };
}
