export type ReduceOptions = {
  /**
   * Most UTF-8 bytes of text the model gets from one tool call, markers included. Default
   * 50000. One exception: the error lines of a persisted Bash output (see persistedMaxBytes).
   */
  maxBytes?: number;
  /**
   * Claude Code's own inline limit for Bash output, in characters (2.1.330: 30000, or
   * BASH_MAX_OUTPUT_LENGTH). Anything longer, the replacement included, is saved to a file
   * and the model sees only a 2 KB preview; so Bash results are cut below it. Default 30000.
   */
  inlineLimit?: number;
  /**
   * Budget for head, tail and markers of a Bash output Claude Code persisted to a file
   * (`persistedOutputPath`), or would have (longer than inlineLimit). Without the hook the
   * model would see a 2 KB head-only preview and the file's path; with the path in our
   * marker it can Read the rest, so a small head and tail suffice. Every error/warning line
   * (folded when look-alike) is kept on top of it, up to inlineLimit, even past maxBytes:
   * the preview would have lost them. Default 3000; capped by maxBytes.
   */
  persistedMaxBytes?: number;
  /**
   * What a cut Bash output aims at when its full text is in a file the model can Read
   * (`fullOutputPath`, as `claude-rtk-hook reduce-output` saves it): head, tail and markers
   * within it, error/warning lines kept on top of it up to maxBytes. Default 3000; capped by
   * maxBytes. Outputs with no such file are cut only to maxBytes.
   */
  targetBytes?: number;
  /** Where the full output of a Bash command was saved (the wrapper's tee file), named in the marker. */
  fullOutputPath?: string;
  /**
   * The full output when Claude Code persisted it (`persistedOutputPath`): its tool_response
   * then holds only the first 30000 characters. The hook bin reads the file; the pure core
   * does no I/O. Without it the reduction works on the truncated copy.
   */
  fullOutput?: string;
};

export type ResolvedOptions = {
  maxBytes: number;
  inlineLimit: number;
  persistedMaxBytes: number;
  targetBytes: number;
  fullOutput: string | undefined;
  fullOutputPath: string | undefined;
};

export const defaultMaxBytes = 50_000;
export const defaultInlineLimit = 30_000;
/** About Claude's own 2 KB preview, plus a tail: see the README's figures for how it was chosen. */
export const defaultPersistedMaxBytes = 3_000;
/**
 * The persisted budget's size, for the same reason: the full output is a Read away. On the
 * bench corpus's tuning part 4000 gave 67% fewer bytes than no hook and 3000 gave 71%.
 */
export const defaultTargetBytes = 3_000;
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
  if (options.fullOutputPath !== undefined && typeof options.fullOutputPath !== "string") {
    throw new TypeError(`rtk-hook: fullOutputPath must be a string, got ${typeof options.fullOutputPath}`);
  }
  return {
    maxBytes: checkBudget("maxBytes", options.maxBytes, defaultMaxBytes),
    inlineLimit: checkBudget("inlineLimit", options.inlineLimit, defaultInlineLimit),
    persistedMaxBytes: checkBudget("persistedMaxBytes", options.persistedMaxBytes, defaultPersistedMaxBytes),
    targetBytes: checkBudget("targetBytes", options.targetBytes, defaultTargetBytes),
    fullOutput: options.fullOutput,
    fullOutputPath: options.fullOutputPath,
  };
}
