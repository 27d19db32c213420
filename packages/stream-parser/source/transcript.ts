// Stream events -> Paperclip TranscriptEntry values (what its run view renders).
//
// This file must stay self-contained: it imports nothing at run time (types only), because the
// adapter compiles it on its own into the CommonJS `ui-parser` that Paperclip evaluates in the
// browser with `new Function` (no `import`, no `require`). Hence the small local helpers.
import type { StreamEvent } from "./events.ts";

/** The TranscriptEntry kinds this module produces (field names as in @paperclipai/adapter-utils). */
export type TranscriptEntry =
  | { kind: "init"; ts: string; model: string; sessionId: string }
  | { kind: "assistant"; ts: string; text: string }
  | { kind: "thinking"; ts: string; text: string }
  | { kind: "user"; ts: string; text: string }
  | { kind: "tool_call"; ts: string; name: string; input: unknown; toolUseId?: string }
  | { kind: "tool_result"; ts: string; toolUseId: string; content: string; isError: boolean }
  | {
      kind: "result";
      ts: string;
      text: string;
      inputTokens: number;
      outputTokens: number;
      cachedTokens: number;
      costUsd: number;
      subtype: string;
      isError: boolean;
      errors: string[];
    }
  | { kind: "system"; ts: string; text: string }
  | { kind: "stderr"; ts: string; text: string }
  | { kind: "stdout"; ts: string; text: string };

type Json = Record<string, unknown>;

/** The transcript entries for one event; `ts` is stamped on each. */
export function toTranscriptEntries(event: StreamEvent, ts: string): TranscriptEntry[] {
  if (event.kind === "text") return [{ kind: "stdout", ts, text: event.text }];
  if (event.kind === "diagnostic") return [{ kind: "system", ts, text: event.message }];
  return entriesFromJson(event.data, event.line, ts);
}

/**
 * Paperclip's `StdoutLineParser`: one raw log line -> entries. What the adapter's ui-parser
 * exports as `parseStdoutLine`.
 */
export function parseStdoutLine(line: string, ts: string): TranscriptEntry[] {
  const text = line.replace(/\r?\n$/, "");
  if (!text.trim()) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [{ kind: "stdout", ts, text }];
  }
  return isJson(value) ? entriesFromJson(value, text, ts) : [{ kind: "stdout", ts, text }];
}

function entriesFromJson(data: Json, line: string, ts: string): TranscriptEntry[] {
  switch (data.type) {
    case "system":
      return systemEntries(data, ts);
    case "assistant":
      return assistantEntries(data, ts);
    case "user":
      return userEntries(data, ts);
    case "result":
      return [resultEntry(data, ts)];
    case "rate_limit_event":
      return [{ kind: "system", ts, text: rateLimitText(data) }];
    case "stream_event":
      // Partial deltas: the whole message follows as an `assistant` event; showing both doubles it.
      return [];
    default:
      return [{ kind: "stdout", ts, text: line }];
  }
}

function systemEntries(data: Json, ts: string): TranscriptEntry[] {
  if (data.subtype === "init") {
    return [{ kind: "init", ts, model: str(data.model) || "unknown", sessionId: str(data.session_id) }];
  }
  if (data.subtype === "api_retry") {
    const status = typeof data.error_status === "number" ? `HTTP ${data.error_status}` : "no HTTP status";
    const delay = typeof data.retry_delay_ms === "number" ? ` in ${(data.retry_delay_ms / 1000).toFixed(1)} s` : "";
    const attempt = typeof data.attempt === "number" ? ` ${data.attempt}${typeof data.max_retries === "number" ? `/${data.max_retries}` : ""}` : "";
    const error = str(data.error);
    return [{ kind: "system", ts, text: `API request failed (${status}${error ? `, ${error}` : ""}); retry${attempt}${delay}` }];
  }
  const subtype = str(data.subtype) || "event";
  const status = str(data.status);
  return [{ kind: "system", ts, text: `system ${subtype}${status ? `: ${status}` : ""}` }];
}

function assistantEntries(data: Json, ts: string): TranscriptEntry[] {
  const message = isJson(data.message) ? data.message : {};
  const blocks = Array.isArray(message.content) ? message.content : [];
  const synthetic = data.is_api_error_message === true || message.model === "<synthetic>";
  const entries: TranscriptEntry[] = [];
  for (const block of blocks) {
    if (!isJson(block)) continue;
    if (block.type === "text" && str(block.text)) {
      // The CLI's own API-error message is not the model speaking.
      entries.push(synthetic ? { kind: "system", ts, text: str(block.text) } : { kind: "assistant", ts, text: str(block.text) });
    } else if (block.type === "thinking" && str(block.thinking)) {
      entries.push({ kind: "thinking", ts, text: str(block.thinking) });
    } else if (block.type === "redacted_thinking") {
      entries.push({ kind: "thinking", ts, text: "[redacted thinking]" });
    } else if (block.type === "tool_use") {
      const toolUseId = str(block.id);
      entries.push({ kind: "tool_call", ts, name: str(block.name) || "unknown", input: block.input ?? {}, ...(toolUseId ? { toolUseId } : {}) });
    }
  }
  return entries;
}

function userEntries(data: Json, ts: string): TranscriptEntry[] {
  const message = isJson(data.message) ? data.message : {};
  if (typeof message.content === "string") return message.content ? [{ kind: "user", ts, text: message.content }] : [];
  const blocks = Array.isArray(message.content) ? message.content : [];
  const entries: TranscriptEntry[] = [];
  for (const block of blocks) {
    if (!isJson(block)) continue;
    if (block.type === "text" && str(block.text)) entries.push({ kind: "user", ts, text: str(block.text) });
    else if (block.type === "tool_result") {
      entries.push({ kind: "tool_result", ts, toolUseId: str(block.tool_use_id), content: toolResultText(block.content), isError: block.is_error === true });
    }
  }
  return entries;
}

function resultEntry(data: Json, ts: string): TranscriptEntry {
  const usage = isJson(data.usage) ? data.usage : {};
  const errors = Array.isArray(data.errors) ? data.errors.map(errorText).filter(Boolean) : [];
  return {
    kind: "result",
    ts,
    text: str(data.result),
    inputTokens: num(usage.input_tokens),
    outputTokens: num(usage.output_tokens),
    cachedTokens: num(usage.cache_read_input_tokens),
    costUsd: runCost(data),
    subtype: str(data.subtype),
    isError: data.is_error === true,
    errors,
  };
}

// On a resumed session `total_cost_usd` covers the whole session; the per-run figures are in
// `model_usage_since_last_result` when the CLI prints it.
function runCost(data: Json): number {
  const perRun = data.model_usage_since_last_result;
  if (!isJson(perRun)) return num(data.total_cost_usd);
  let total = 0;
  for (const usage of Object.values(perRun)) if (isJson(usage)) total += num(usage.costUSD);
  return total;
}

function rateLimitText(data: Json): string {
  const info = isJson(data.rate_limit_info) ? data.rate_limit_info : {};
  const parts = [`rate limit ${str(info.rateLimitType) || "window"}: ${str(info.status) || "unknown"}`];
  if (typeof info.resetsAt === "number" && Number.isFinite(info.resetsAt)) {
    const ms = info.resetsAt < 1e12 ? info.resetsAt * 1000 : info.resetsAt;
    parts.push(`resets ${new Date(ms).toISOString()}`);
  }
  if (str(info.overageStatus)) parts.push(`overage ${str(info.overageStatus)}`);
  return parts.join(", ");
}

function toolResultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return content == null ? "" : JSON.stringify(content);
  const parts: string[] = [];
  for (const part of content) {
    if (isJson(part) && typeof part.text === "string") parts.push(part.text);
    else if (isJson(part) && part.type === "image") parts.push("[image]");
  }
  return parts.join("\n");
}

function errorText(error: unknown): string {
  if (typeof error === "string") return error;
  if (!isJson(error)) return "";
  for (const key of ["message", "error", "code"]) if (typeof error[key] === "string") return error[key] as string;
  return JSON.stringify(error);
}

function isJson(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}
