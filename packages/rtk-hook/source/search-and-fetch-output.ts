import { isObject } from "./is-object.ts";
import type { ResolvedOptions } from "./options.ts";
import { reduceText, type TextReduction } from "./reduce-text.ts";
import { combine, type Reduction, unchanged } from "./reduction.ts";
import { utf8ByteLength } from "./utf8.ts";

// Grep ({mode, numFiles, filenames, content?, numLines?}), Glob ({filenames, numFiles,
// truncated, durationMs}) and WebFetch ({bytes, code, codeText, result, durationMs, url}).
// CLI 2.1.330 ships neither Grep nor Glob as a tool, but older and newer versions do.

/** Keeps the first paths that fit and ends the list with one entry saying how many were cut. */
function reducePathList(paths: unknown[], maxBytes: number): { paths: unknown[]; reduction: TextReduction } | undefined {
  if (!paths.every((path) => typeof path === "string")) return undefined;
  const all = paths as string[];
  const bytesBefore = all.reduce((sum, path) => sum + utf8ByteLength(path) + 1, 0);
  if (bytesBefore <= maxBytes) return undefined;
  const marker = (cut: number) => `[rtk-hook: ${cut} more paths cut; narrow the pattern to see them]`;
  const room = maxBytes - utf8ByteLength(marker(all.length)) - 1;
  const kept: string[] = [];
  let used = 0;
  for (const path of all) {
    const cost = utf8ByteLength(path) + 1;
    if (used + cost > room) break;
    kept.push(path);
    used += cost;
  }
  kept.push(marker(all.length - kept.length));
  const bytesAfter = kept.reduce((sum, path) => sum + utf8ByteLength(path) + 1, 0);
  return {
    paths: kept,
    reduction: { text: "", changed: true, bytesBefore, bytesAfter, cutLines: all.length - kept.length + 1, keptImportantLines: 0, droppedImportantLines: 0 },
  };
}

export function reduceSearchOutput(response: unknown, options: ResolvedOptions): Reduction {
  if (!isObject(response)) return unchanged;
  const output: Record<string, unknown> = { ...response };
  const parts: TextReduction[] = [];
  if (typeof response.content === "string") {
    const reduction = reduceText(response.content, { maxBytes: options.maxBytes, mode: "head-and-tail", normalize: true });
    output.content = reduction.text;
    parts.push(reduction);
  }
  if (Array.isArray(response.filenames)) {
    const cut = reducePathList(response.filenames, options.maxBytes);
    if (cut) {
      output.filenames = cut.paths;
      if ("truncated" in response) output.truncated = true;
      parts.push(cut.reduction);
    }
  }
  return combine(output, parts);
}

export function reduceWebFetchOutput(response: unknown, options: ResolvedOptions): Reduction {
  if (!isObject(response) || typeof response.result !== "string") return unchanged;
  const reduction = reduceText(response.result, { maxBytes: options.maxBytes, mode: "head-and-tail", normalize: true });
  return combine({ ...response, result: reduction.text }, [reduction]);
}
