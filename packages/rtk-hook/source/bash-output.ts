import { isObject } from "./is-object.ts";
import type { ResolvedOptions } from "./options.ts";
import { reduceText, type TextReduction } from "./reduce-text.ts";
import { combine, type Reduction, unchanged } from "./reduction.ts";
import { utf8ByteLength } from "./utf8.ts";

// Bash's tool_response (CLI 2.1.330): {stdout, stderr, interrupted, isImage,
// noOutputExpected, [persistedOutputPath, persistedOutputSize]}. stderr is usually merged
// into stdout already. Over ~30000 characters Claude saves the output to a file, keeps the
// first 30000 in stdout and shows the model a 2 KB preview; a replacement that still
// carries persistedOutputPath gets the same preview treatment, so ours drops the two
// persisted* keys and names the file in its marker instead.

const persistedNote = (path: string, size: unknown) =>
  `[rtk-hook: full output${typeof size === "number" ? ` (${size} bytes)` : ""}: ${path}]`;

export function reduceBashOutput(response: unknown, options: ResolvedOptions): Reduction {
  if (!isObject(response) || typeof response.stdout !== "string") return unchanged;
  if (response.isImage === true) return unchanged; // stdout holds image data the CLI renders as an image block
  const persistedPath = typeof response.persistedOutputPath === "string" ? response.persistedOutputPath : undefined;
  const stdout = persistedPath !== undefined && options.fullOutput !== undefined ? options.fullOutput : response.stdout;
  const stderr = typeof response.stderr === "string" ? response.stderr : "";

  // Characters <= UTF-8 bytes, so a byte budget under the inline limit keeps us inline. A
  // persisted output gets the smaller persisted budget: the model can Read the file.
  let budget = Math.min(options.maxBytes, options.inlineLimit, persistedPath === undefined ? Number.POSITIVE_INFINITY : options.persistedMaxBytes);
  const note = persistedPath === undefined ? "" : persistedNote(persistedPath, response.persistedOutputSize);
  if (note) budget -= utf8ByteLength(note) + 1;
  const stdoutBytes = utf8ByteLength(stdout);
  const stderrBytes = utf8ByteLength(stderr);
  const stderrBudget = stdoutBytes + stderrBytes <= budget ? stderrBytes : Math.min(stderrBytes, Math.max(Math.floor(budget / 4), budget - stdoutBytes));
  const common = { mode: "head-and-tail" as const, normalize: true, ...(persistedPath === undefined ? {} : { persistedOutputPath: persistedPath }) };
  const outReduction = reduceText(stdout, { ...common, maxBytes: budget - stderrBudget });
  const errReduction: TextReduction = reduceText(stderr, { ...common, maxBytes: Math.max(stderrBudget, 0) });

  let newStdout = outReduction.text;
  if (note && outReduction.cutLines === 0) newStdout = newStdout === "" ? note : `${newStdout}\n${note}`;
  const output: Record<string, unknown> = { ...response, stdout: newStdout, stderr: errReduction.text };
  if (persistedPath !== undefined) {
    delete output.persistedOutputPath;
    delete output.persistedOutputSize;
  }
  // stdout may have been replaced by the full file: count what Claude would have shown against it.
  const parts = [{ ...outReduction, text: newStdout, bytesAfter: utf8ByteLength(newStdout) }, errReduction];
  return combine(output, parts, persistedPath !== undefined);
}
