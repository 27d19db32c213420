// A readable transcript for a terminal: one block per transcript entry, long tool output cut.
import type { StreamEvent } from "./events.ts";
import { type TranscriptEntry, toTranscriptEntries } from "./transcript.ts";

export interface PrettyOptions {
  /** ANSI colours (the CLI turns them on only for a terminal). */
  color: boolean;
  /** Tool output longer than this many lines is cut to its head and tail. Default 12. */
  maxToolLines?: number;
}

const CODES = { dim: 2, bold: 1, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36 } as const;
type Style = keyof typeof CODES;

/** The lines to print for one event (possibly none). */
export function formatEvent(event: StreamEvent, options: PrettyOptions): string[] {
  const paint = (style: Style, text: string): string => (options.color ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text);
  const maxLines = options.maxToolLines ?? 12;
  return toTranscriptEntries(event, "").flatMap((entry) => formatEntry(entry, paint, maxLines));
}

function formatEntry(entry: TranscriptEntry, paint: (style: Style, text: string) => string, maxLines: number): string[] {
  switch (entry.kind) {
    case "init":
      return [paint("dim", `── session ${entry.sessionId || "(none)"} · model ${entry.model}`)];
    case "assistant":
      return [`${paint("bold", "assistant")} ${entry.text}`];
    case "thinking":
      return [paint("dim", `thinking ${entry.text}`)];
    case "user":
      return [`${paint("blue", "user")} ${entry.text}`];
    case "tool_call":
      return [`${paint("cyan", `→ ${entry.name}`)} ${compactJson(entry.input)}`];
    case "tool_result": {
      const label = entry.isError ? paint("red", "← error") : paint("green", "←");
      return [label, ...cut(entry.content.split("\n"), maxLines).map((line) => `  ${line}`)];
    }
    case "result": {
      const style: Style = entry.isError ? "red" : "green";
      const head = `══ result ${entry.subtype || "?"}${entry.isError ? " (is_error)" : ""} · in ${entry.inputTokens} out ${entry.outputTokens} cached ${entry.cachedTokens} · $${entry.costUsd.toFixed(4)}`;
      const lines = [paint(style, head)];
      if (entry.text) lines.push(entry.text);
      for (const error of entry.errors) lines.push(paint("red", error));
      return lines;
    }
    case "system":
      return [paint("yellow", `! ${entry.text}`)];
    case "stderr":
      return [paint("red", entry.text)];
    case "stdout":
      return [paint("dim", entry.text)];
  }
}

function cut(lines: string[], max: number): string[] {
  if (lines.length <= max) return lines;
  const head = Math.ceil(max / 2);
  const tail = max - head;
  return [...lines.slice(0, head), `… ${lines.length - max} more lines …`, ...lines.slice(lines.length - tail)];
}

function compactJson(value: unknown): string {
  const text = JSON.stringify(value) ?? "";
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
