import { isObject } from "./is-object.ts";
import type { ResolvedOptions } from "./options.ts";
import { reduceText } from "./reduce-text.ts";
import { combine, type Reduction, unchanged } from "./reduction.ts";

// Read's tool_response for text files: {type: "text", file: {filePath, content, numLines,
// startLine, totalLines}}. Claude numbers the lines itself from startLine, so only a head
// cut keeps the numbers true; the marker says which offset to read next. Contents stay
// exact (no ANSI stripping or collapsing): the model edits files based on them. Images,
// PDFs and notebooks (other `type`s) pass through.

export function reduceReadOutput(response: unknown, options: ResolvedOptions): Reduction {
  if (!isObject(response) || response.type !== "text" || !isObject(response.file)) return unchanged;
  const file = response.file;
  if (typeof file.content !== "string") return unchanged;
  const startLine = typeof file.startLine === "number" && Number.isInteger(file.startLine) && file.startLine > 0 ? file.startLine : 1;
  const reduction = reduceText(file.content, { maxBytes: options.maxBytes, mode: "head", normalize: false, startLine });
  if (!reduction.changed) return unchanged;
  const numLines = reduction.text.split("\n").length;
  return combine({ ...response, file: { ...file, content: reduction.text, numLines } }, [reduction]);
}
