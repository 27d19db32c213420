// Events -> what a run did: session, model, usage and cost, retries, rate limits, the summary
// text, and the harness-authored facts the outcome is decided from.
//
// Incremental (`createSummarizer().add(event)`), so a long run is summarised as it streams and
// nothing but the summary itself is kept. It never reads `user` or `stream_event` data (tool
// output and partial deltas), which keeps those lazily parsed events unparsed.
import type {
  AssistantData,
  ModelUsageData,
  RateLimitData,
  ResultData,
  StreamEvent,
  StreamEventKind,
  UsageData,
} from "./events.ts";
import { findLoginUrl } from "./login-url.ts";
import { TextKeeper } from "./text-keeper.ts";

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
}

export interface ModelUsage extends TokenUsage {
  costUsd: number;
}

export interface ApiRetries {
  /** How many `system/api_retry` events were seen. */
  count: number;
  /** HTTP status of the last retried failure; null for connection errors or when there was none. */
  lastStatus: number | null;
  /** The CLI's category for the last retried failure (`rate_limit`, `overloaded`, ...). */
  lastError: string | null;
}

export interface RateLimitNotice {
  /** `allowed`, `allowed_warning`, `rejected`, ... as printed. */
  status: string | null;
  rateLimitType: string | null;
  /** When the window resets, as an ISO 8601 time. */
  resetsAt: string | null;
  overageStatus: string | null;
}

export interface PermissionDenial {
  toolName: string | null;
  toolUseId: string | null;
  toolInput: unknown;
}

/** The last `result` event's harness-authored fields. */
export interface ResultFacts {
  subtype: string | null;
  isError: boolean;
  text: string | null;
  errors: string[];
  terminalReason: string | null;
  apiErrorStatus: number | null;
  apiErrorType: string | null;
  apiError: string | null;
  /** The CLI's structured reason for refusing to start (`startup_failure_reason`), when it gave one. */
  startupFailureReason: string | null;
}

/** The synthetic assistant message the CLI writes when an API request finally fails. */
export interface ApiErrorMessage {
  text: string;
  error: string | null;
  status: number | null;
  type: string | null;
}

export interface RunSummary {
  sessionId: string | null;
  /** The model from `system/init`, else the first model that answered. */
  model: string | null;
  /** Every model that answered a turn, in order of first appearance (at most 32). */
  models: string[];
  numTurns: number | null;
  durationMs: number | null;
  /** This run's cost. On a resumed session the CLI's `total_cost_usd` covers the whole session. */
  costUsd: number | null;
  /** `total_cost_usd` as printed (session-cumulative on a resumed session). */
  sessionCostUsd: number | null;
  usage: TokenUsage;
  /** `result` when usage comes from the result event (its `usage`, else its per-model usage); `messages` when summed from assistant messages (no result). */
  usageSource: "result" | "messages" | "none";
  modelUsage: Record<string, ModelUsage>;
  permissionDenials: PermissionDenial[];
  apiRetries: ApiRetries;
  rateLimitEventCount: number;
  /** The most recent rate-limit notices, oldest first (at most 32). */
  rateLimits: RateLimitNotice[];
  /**
   * The result text, else all assistant text of the main agent, joined by blank lines (beyond
   * 512 Ki characters: the first and last 256 Ki, with a note of what was left out between).
   */
  summary: string;
  /** A login URL the CLI printed (never one from tool output). */
  loginUrl: string | null;
  /** The first non-JSON line, if any (a status line, a shell error): explains a run with no events. */
  firstTextLine: string | null;
  result: ResultFacts | null;
  apiErrorMessage: ApiErrorMessage | null;
  /** The model produced content (text, thinking or a tool call). */
  modelOutputSeen: boolean;
  /** Assistant messages that came back empty: no content, no output tokens, no stop reason. */
  emptyResponses: number;
  eventCounts: Record<StreamEventKind, number>;
  /** Lines dropped for exceeding `maxLineBytes`, and their bytes. */
  droppedLines: number;
  droppedBytes: number;
}

export interface Summarizer {
  add(event: StreamEvent): void;
  summary(): RunSummary;
}

const MAX_RATE_LIMITS = 32;
const MAX_MODELS = 32; // a run uses one to three; the cap only stops a hostile stream
// Assistant events of one API message share `message.id` and arrive one content block per event;
// their usage must be counted once. Messages of sub-agents can interleave, so remember a few.
const RECENT_MESSAGE_IDS = 256;

const zeroUsage = (): TokenUsage => ({ inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });

export function createSummarizer(): Summarizer {
  let sessionId: string | null = null;
  let initModel: string | null = null;
  const models: string[] = [];
  let lastResult: ResultData | null = null;
  const messageUsage = zeroUsage();
  let messageUsageSeen = false;
  const recentMessageIds: string[] = [];
  const apiRetries: ApiRetries = { count: 0, lastStatus: null, lastError: null };
  let rateLimitEventCount = 0;
  const rateLimits: RateLimitNotice[] = [];
  const assistantText = new TextKeeper();
  let loginUrl: string | null = null;
  let firstTextLine: string | null = null;
  let apiErrorMessage: ApiErrorMessage | null = null;
  let modelOutputSeen = false;
  let emptyResponses = 0;
  let droppedLines = 0;
  let droppedBytes = 0;
  const eventCounts: Record<StreamEventKind, number> = {
    init: 0,
    api_retry: 0,
    system: 0,
    assistant: 0,
    user: 0,
    result: 0,
    rate_limit_event: 0,
    stream_event: 0,
    unknown: 0,
    text: 0,
    diagnostic: 0,
  };

  const noteLoginUrl = (text: string | null | undefined): void => {
    if (loginUrl === null && text) loginUrl = findLoginUrl(text) ?? null;
  };

  const onAssistant = (data: AssistantData): void => {
    if (typeof data.session_id === "string" && data.session_id) sessionId = data.session_id;
    const message = data.message ?? {};
    const content = Array.isArray(message.content) ? message.content : [];
    const texts: string[] = [];
    let hasOutput = false;
    for (const block of content) {
      if (typeof block !== "object" || block === null) continue;
      if (block.type === "text" && typeof block.text === "string" && block.text) {
        texts.push(block.text);
        hasOutput = true;
      } else if (block.type === "thinking" ? Boolean(block.thinking) : typeof block.type === "string" && block.type !== "text") {
        // tool_use, server_tool_use, redacted_thinking, ...: anything but an empty block.
        hasOutput = true;
      }
    }
    if (data.is_api_error_message === true || message.model === "<synthetic>") {
      // Written by the CLI, not the model: a harness surface, kept for the outcome.
      apiErrorMessage = {
        text: texts.join("\n"),
        error: typeof data.error === "string" ? data.error : null,
        status: typeof data.api_error_status === "number" ? data.api_error_status : null,
        type: typeof data.api_error_type === "string" ? data.api_error_type : null,
      };
      noteLoginUrl(apiErrorMessage.text);
      return;
    }
    if (typeof message.model === "string" && message.model && models.length < MAX_MODELS && !models.includes(message.model)) models.push(message.model);
    // The summary is the main agent's: a sub-agent's messages (parent_tool_use_id set) are its
    // working notes, reported to the main agent through a tool result.
    if (data.parent_tool_use_id == null) for (const text of texts) assistantText.add(text);
    if (hasOutput) modelOutputSeen = true;
    else if (message.stop_reason == null && numberOr(message.usage?.output_tokens, 0) === 0) emptyResponses++;
    const id = typeof message.id === "string" ? message.id : undefined;
    if (message.usage && (id === undefined || !recentMessageIds.includes(id))) {
      if (id !== undefined) {
        recentMessageIds.push(id);
        if (recentMessageIds.length > RECENT_MESSAGE_IDS) recentMessageIds.shift();
      }
      addUsage(messageUsage, message.usage);
      messageUsageSeen = true;
    }
  };

  const onRateLimit = (data: RateLimitData): void => {
    rateLimitEventCount++;
    const info = data.rate_limit_info ?? {};
    rateLimits.push({
      status: stringOrNull(info.status),
      rateLimitType: stringOrNull(info.rateLimitType),
      resetsAt: epochToIso(info.resetsAt),
      overageStatus: stringOrNull(info.overageStatus),
    });
    if (rateLimits.length > MAX_RATE_LIMITS) rateLimits.shift();
  };

  const add = (event: StreamEvent): void => {
    eventCounts[event.kind]++;
    switch (event.kind) {
      case "init": {
        const { session_id, model } = event.data;
        if (typeof session_id === "string" && session_id) sessionId = session_id;
        if (typeof model === "string" && model) initModel = model;
        break;
      }
      case "api_retry": {
        const { error_status, error } = event.data;
        apiRetries.count++;
        apiRetries.lastStatus = typeof error_status === "number" ? error_status : null;
        apiRetries.lastError = typeof error === "string" ? error : null;
        break;
      }
      case "assistant":
        onAssistant(event.data);
        break;
      case "result": {
        const data = event.data;
        lastResult = data;
        if (typeof data.session_id === "string" && data.session_id) sessionId = data.session_id;
        if (data.is_error === true) {
          noteLoginUrl(typeof data.result === "string" ? data.result : null);
          for (const error of errorStrings(data.errors)) noteLoginUrl(error);
        }
        break;
      }
      case "rate_limit_event":
        onRateLimit(event.data);
        break;
      case "text":
        // A broken JSON event may hold tool output: only real text lines are the CLI speaking.
        if (event.malformedJson) break;
        noteLoginUrl(event.text);
        if (firstTextLine === null) firstTextLine = event.text.slice(0, 1000);
        break;
      case "diagnostic":
        droppedLines++;
        droppedBytes += event.bytes;
        break;
      default:
        // user, stream_event, other system events and unknown JSON: nothing the summary needs.
        break;
    }
  };

  const summary = (): RunSummary => {
    const result = lastResult as ResultData | null;
    const perRun = result && isRecord(result.model_usage_since_last_result) ? result.model_usage_since_last_result : undefined;
    const modelUsage = normaliseModelUsage(perRun ?? (result && isRecord(result.modelUsage) ? result.modelUsage : undefined));
    const sessionCostUsd = result ? finiteOrNull(result.total_cost_usd) : null;
    const costUsd = perRun ? sumCost(modelUsage) : sessionCostUsd;
    const resultUsage = result && isRecord(result.usage) ? result.usage : undefined;
    const modelUsageTotal = Object.keys(modelUsage).length > 0 ? sumModelUsage(modelUsage) : undefined;
    const usage = resultUsage ? toTokenUsage(resultUsage) : (modelUsageTotal ?? { ...messageUsage });
    const resultText = result && typeof result.result === "string" && result.result ? result.result : null;
    return {
      sessionId,
      model: initModel ?? models[0] ?? null,
      models: [...models],
      numTurns: result ? finiteOrNull(result.num_turns) : null,
      durationMs: result ? finiteOrNull(result.duration_ms) : null,
      costUsd,
      sessionCostUsd,
      usage,
      usageSource: resultUsage || modelUsageTotal ? "result" : messageUsageSeen ? "messages" : "none",
      modelUsage,
      permissionDenials: result && Array.isArray(result.permission_denials) ? result.permission_denials.map(toDenial) : [],
      apiRetries: { ...apiRetries },
      rateLimitEventCount,
      rateLimits: [...rateLimits],
      summary: resultText ?? assistantText.text(),
      loginUrl,
      firstTextLine,
      result: result ? resultFacts(result) : null,
      apiErrorMessage,
      modelOutputSeen,
      emptyResponses,
      eventCounts: { ...eventCounts },
      droppedLines,
      droppedBytes,
    };
  };

  return { add, summary };
}

/** The summary of a whole list of events (what `createSummarizer` gives after adding them all). */
export function summarize(events: Iterable<StreamEvent>): RunSummary {
  const summarizer = createSummarizer();
  for (const event of events) summarizer.add(event);
  return summarizer.summary();
}

function resultFacts(result: ResultData): ResultFacts {
  return {
    subtype: stringOrNull(result.subtype),
    isError: result.is_error === true,
    text: stringOrNull(result.result),
    errors: errorStrings(result.errors),
    terminalReason: stringOrNull(result.terminal_reason),
    apiErrorStatus: typeof result.api_error_status === "number" ? result.api_error_status : null,
    apiErrorType: stringOrNull(result.api_error_type),
    apiError: stringOrNull(result.api_error),
    startupFailureReason: stringOrNull(result.startup_failure_reason),
  };
}

function errorStrings(errors: unknown): string[] {
  if (!Array.isArray(errors)) return [];
  const out: string[] = [];
  for (const error of errors) {
    if (typeof error === "string") out.push(error);
    else if (isRecord(error)) {
      const text = [error.message, error.error, error.code].find((value) => typeof value === "string");
      out.push(typeof text === "string" ? text : JSON.stringify(error));
    }
  }
  return out;
}

function toDenial(denial: unknown): PermissionDenial {
  const record = isRecord(denial) ? denial : {};
  return { toolName: stringOrNull(record.tool_name), toolUseId: stringOrNull(record.tool_use_id), toolInput: record.tool_input ?? null };
}

function toTokenUsage(usage: UsageData): TokenUsage {
  const total = zeroUsage();
  addUsage(total, usage);
  return total;
}

function addUsage(total: TokenUsage, usage: UsageData): void {
  total.inputTokens += numberOr(usage.input_tokens, 0);
  total.outputTokens += numberOr(usage.output_tokens, 0);
  total.cacheReadInputTokens += numberOr(usage.cache_read_input_tokens, 0);
  total.cacheCreationInputTokens += numberOr(usage.cache_creation_input_tokens, 0);
}

function normaliseModelUsage(byModel: Record<string, unknown> | undefined): Record<string, ModelUsage> {
  const out: Record<string, ModelUsage> = {};
  if (!byModel) return out;
  for (const [model, raw] of Object.entries(byModel)) {
    const usage: ModelUsageData = isRecord(raw) ? raw : {};
    out[model] = {
      inputTokens: numberOr(usage.inputTokens, 0),
      outputTokens: numberOr(usage.outputTokens, 0),
      cacheReadInputTokens: numberOr(usage.cacheReadInputTokens, 0),
      cacheCreationInputTokens: numberOr(usage.cacheCreationInputTokens, 0),
      costUsd: numberOr(usage.costUSD, 0),
    };
  }
  return out;
}

function sumModelUsage(modelUsage: Record<string, ModelUsage>): TokenUsage {
  const total = zeroUsage();
  for (const usage of Object.values(modelUsage)) {
    total.inputTokens += usage.inputTokens;
    total.outputTokens += usage.outputTokens;
    total.cacheReadInputTokens += usage.cacheReadInputTokens;
    total.cacheCreationInputTokens += usage.cacheCreationInputTokens;
  }
  return total;
}

function sumCost(modelUsage: Record<string, ModelUsage>): number {
  let total = 0;
  for (const usage of Object.values(modelUsage)) total += usage.costUsd;
  return total;
}

/** Unix seconds (or milliseconds, or an ISO string) -> ISO 8601; null when unusable. */
export function epochToIso(value: unknown): string | null {
  let ms: number;
  if (typeof value === "number" && Number.isFinite(value) && value > 0) ms = value < 1e12 ? value * 1000 : value;
  else if (typeof value === "string" && value.trim()) ms = Date.parse(value);
  else return null;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
