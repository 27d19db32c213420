import { filterCommandOutput } from "./filters/command-filters.ts";
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

const filterText = (text: string) => filterCommandOutput(text).text;

export function reduceBashOutput(response: unknown, options: ResolvedOptions): Reduction {
  if (!isObject(response) || typeof response.stdout !== "string") return unchanged;
  if (response.isImage === true) return unchanged; // stdout holds image data the CLI renders as an image block
  const persistedPath = typeof response.persistedOutputPath === "string" ? response.persistedOutputPath : undefined;
  const stdout = persistedPath !== undefined && options.fullOutput !== undefined ? options.fullOutput : response.stdout;
  const stderr = typeof response.stderr === "string" ? response.stderr : "";
  // Saved to a file by Claude, or long enough that Claude would have done so (its limit is
  // in characters): without the hook the model would get a 2 KB preview, not the text.
  const persisted = persistedPath !== undefined || response.stdout.length + stderr.length > options.inlineLimit;

  // Characters <= UTF-8 bytes, so a byte budget under the inline limit keeps us inline.
  const note = persistedPath === undefined ? "" : persistedNote(persistedPath, response.persistedOutputSize);
  const noteCost = note ? utf8ByteLength(note) + 1 : 0;
  const hardBudget = Math.min(options.inlineLimit, persisted ? Number.POSITIVE_INFINITY : options.maxBytes) - noteCost;
  // A persisted output gets the small persisted budget for head, tail and markers (the
  // model can Read the rest), but its error lines are all kept, up to the inline limit:
  // Claude's own preview would have lost them, and past that limit Claude would save our
  // answer to a file again.
  // An output saved by the wrapper gets the target budget on the same terms.
  const savedPath = persistedPath ?? options.fullOutputPath;
  const softBudget = persisted ? options.persistedMaxBytes : savedPath !== undefined ? options.targetBytes : options.maxBytes;
  const budget = Math.min(hardBudget, Math.min(softBudget, options.maxBytes) - noteCost);
  const stdoutBytes = utf8ByteLength(stdout);
  const stderrBytes = utf8ByteLength(stderr);
  const stderrBudget = stdoutBytes + stderrBytes <= budget ? stderrBytes : Math.min(stderrBytes, Math.max(Math.floor(budget / 4), budget - stdoutBytes));
  const common = { mode: "head-and-tail" as const, normalize: true, filter: filterText, ...(savedPath === undefined ? {} : { persistedOutputPath: savedPath }) };
  // Both streams aim at their share of the budget; what error lines need beyond it comes
  // from the room left under the hard budget, stderr first (it is usually the shorter).
  const errReduction: TextReduction = reduceText(stderr, { ...common, maxBytes: Math.max(stderrBudget + hardBudget - budget, 0), softMaxBytes: stderrBudget });
  const outReduction = reduceText(stdout, { ...common, maxBytes: hardBudget - errReduction.bytesAfter, softMaxBytes: budget - stderrBudget });

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
