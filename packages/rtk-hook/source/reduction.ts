import type { TextReduction } from "./reduce-text.ts";

/** What reduceToolOutput decided: leave the tool's response alone, or use `output` (same shape) instead. */
export type Reduction =
  | { status: "unchanged" }
  | {
      status: "reduced";
      /** The replacement, in the tool's own response shape. */
      output: unknown;
      /** UTF-8 bytes of the text fields before and after. */
      bytesBefore: number;
      bytesAfter: number;
      cutLines: number;
      keptImportantLines: number;
      droppedImportantLines: number;
    };

export const unchanged: Reduction = Object.freeze({ status: "unchanged" });

/** Sums the per-field reductions into one Reduction with `output`. */
export function combine(output: unknown, parts: readonly TextReduction[], forceChanged = false): Reduction {
  if (!forceChanged && !parts.some((part) => part.changed)) return unchanged;
  const sum = (key: "bytesBefore" | "bytesAfter" | "cutLines" | "keptImportantLines" | "droppedImportantLines") =>
    parts.reduce((total, part) => total + part[key], 0);
  return {
    status: "reduced",
    output,
    bytesBefore: sum("bytesBefore"),
    bytesAfter: sum("bytesAfter"),
    cutLines: sum("cutLines"),
    keptImportantLines: sum("keptImportantLines"),
    droppedImportantLines: sum("droppedImportantLines"),
  };
}
