import { isObject } from "./is-object.ts";

// `claude-rtk-hook gain`: what the hook saved in recent sessions, read back from Claude
// Code's transcripts (one JSON object per line; tool results sit in user messages). Every
// cut leaves a marker saying how many bytes it cut; this sums them. Lines a per-command
// filter dropped before a cut are not in any marker, so the sum is a lower bound.

export type Gain = { toolResults: number; reduced: number; cutBytes: number; totalBytes: number };

const cutMarker = /\[rtk-hook: cut \d+ of \d+ lines \((\d+) of (\d+) bytes\)/g;

function toolResultTexts(entry: unknown): string[] {
  if (!isObject(entry) || !isObject(entry.message) || !Array.isArray(entry.message.content)) return [];
  const texts: string[] = [];
  for (const block of entry.message.content as unknown[]) {
    if (!isObject(block) || block.type !== "tool_result") continue;
    if (typeof block.content === "string") texts.push(block.content);
    else if (Array.isArray(block.content)) {
      const parts = (block.content as unknown[]).flatMap((part) => (isObject(part) && typeof part.text === "string" ? [part.text] : []));
      texts.push(parts.join("\n"));
    }
  }
  return texts;
}

/** Adds one transcript's lines to `gain`; lines that are not JSON are skipped (a transcript being written ends mid-line). */
export function addTranscript(gain: Gain, transcript: string): Gain {
  for (const line of transcript.split("\n")) {
    if (!line.startsWith("{")) continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    for (const text of toolResultTexts(entry)) {
      gain.toolResults += 1;
      let reduced = false;
      for (const match of text.matchAll(cutMarker)) {
        reduced = true;
        gain.cutBytes += Number(match[1]);
        gain.totalBytes += Number(match[2]);
      }
      if (reduced) gain.reduced += 1;
    }
  }
  return gain;
}

export const emptyGain = (): Gain => ({ toolResults: 0, reduced: 0, cutBytes: 0, totalBytes: 0 });

export function describeGain(gain: Gain, sessions: number, days: number): string {
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
  const share = gain.totalBytes === 0 ? 0 : Math.round((gain.cutBytes / gain.totalBytes) * 100);
  return `${sessions} session${sessions === 1 ? "" : "s"} in the last ${days} days: ${gain.toolResults} tool results, ${gain.reduced} cut by rtk-hook; ${kb(gain.cutBytes)} of their ${kb(gain.totalBytes)} cut (${share}%), about ${Math.round(gain.cutBytes / 4)} tokens (4 bytes a token). Lines the per-command filters dropped are not counted.`;
}
