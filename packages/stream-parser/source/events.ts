// The shapes Claude Code prints with `--output-format stream-json --verbose` (checked against
// CLI 2.1.330), and the events the parser turns each line into.
//
// The `*Data` interfaces describe what the CLI writes. Every field is optional and every
// object is open (`[key: string]: unknown`): the CLI adds fields between releases, and a
// truncated or hand-written line may miss any of them, so code that reads them must check.

export interface JsonObject {
  [key: string]: unknown;
}

/** Token counts as the Messages API reports them (snake_case, as printed). */
export interface UsageData extends JsonObject {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

/** One content block of a message: `text`, `thinking`, `tool_use`, `tool_result`, `image`, ... */
export interface ContentBlockData extends JsonObject {
  type?: string;
  text?: string;
  thinking?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
}

interface EventDataBase extends JsonObject {
  uuid?: string;
  session_id?: string;
}

export interface SystemInitData extends EventDataBase {
  type: "system";
  subtype: "init";
  model?: string;
  cwd?: string;
  tools?: string[];
  claude_code_version?: string;
  permissionMode?: string;
}

/** Printed before each retry of a failed API request (the run may still succeed). */
export interface ApiRetryData extends EventDataBase {
  type: "system";
  subtype: "api_retry";
  attempt?: number;
  max_retries?: number;
  retry_delay_ms?: number;
  /** HTTP status of the failed request; null for connection errors. */
  error_status?: number | null;
  /** The CLI's error category: `rate_limit`, `overloaded`, `authentication_failed`, `unknown`, ... */
  error?: string;
}

/** Any other `system` event (`compact_boundary`, `status`, hook events, ...). */
export interface SystemData extends EventDataBase {
  type: "system";
  subtype?: string;
}

export interface AssistantMessageData extends JsonObject {
  id?: string;
  model?: string;
  role?: string;
  content?: ContentBlockData[];
  stop_reason?: string | null;
  usage?: UsageData;
}

export interface AssistantData extends EventDataBase {
  type: "assistant";
  message?: AssistantMessageData;
  parent_tool_use_id?: string | null;
  /** Set (with `is_api_error_message: true`) on the synthetic message the CLI writes for an API failure. */
  error?: string;
  is_api_error_message?: boolean;
  api_error_status?: number | null;
  api_error_type?: string;
}

export interface UserData extends EventDataBase {
  type: "user";
  message?: { role?: string; content?: string | ContentBlockData[]; [key: string]: unknown };
  parent_tool_use_id?: string | null;
  /** The tool's own structured result (for Bash: stdout, stderr, interrupted, ...). */
  tool_use_result?: unknown;
}

export interface ModelUsageData extends JsonObject {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheCreationInputTokens?: number;
  costUSD?: number;
}

export interface PermissionDenialData extends JsonObject {
  tool_name?: string;
  tool_use_id?: string;
  tool_input?: unknown;
}

export interface ResultData extends EventDataBase {
  type: "result";
  /** `success`, `error_max_turns`, `error_during_execution`, ... API failures say `success` with `is_error: true`. */
  subtype?: string;
  is_error?: boolean;
  result?: string;
  errors?: unknown[];
  num_turns?: number;
  duration_ms?: number;
  duration_api_ms?: number;
  /** Session-cumulative on a resumed session (CLI 2.1.330); see `model_usage_since_last_result`. */
  total_cost_usd?: number;
  usage?: UsageData;
  modelUsage?: Record<string, ModelUsageData>;
  /** Per-run usage and cost by model; present since CLI 2.1.3xx. */
  model_usage_since_last_result?: Record<string, ModelUsageData>;
  permission_denials?: PermissionDenialData[];
  terminal_reason?: string;
  stop_reason?: string | null;
  api_error_status?: number | null;
  api_error_type?: string;
  api_error?: string;
  /**
   * Why the CLI refused to start (CLI 2.1.337, on a zeroed `error_during_execution` result;
   * most reasons only when the host sets `CLAUDE_CODE_STARTUP_FAILURE_RESULTS`), e.g.
   * `resume_target_not_found`, `sideload_flags_disabled`. `errors` carries the message.
   */
  startup_failure_reason?: string;
}

export interface RateLimitInfoData extends JsonObject {
  /** `allowed`, `allowed_warning`, `rejected`, ... */
  status?: string;
  /** Unix time in seconds when the window resets. */
  resetsAt?: number;
  rateLimitType?: string;
  overageStatus?: string;
  isUsingOverage?: boolean;
}

export interface RateLimitData extends EventDataBase {
  type: "rate_limit_event";
  rate_limit_info?: RateLimitInfoData;
}

/** A raw Messages API streaming event (`--include-partial-messages`). */
export interface PartialMessageData extends EventDataBase {
  type: "stream_event";
  event?: { type?: string; [key: string]: unknown };
  parent_tool_use_id?: string | null;
}

interface JsonEventBase<Kind extends string, Data> {
  readonly kind: Kind;
  /** The event's top-level `uuid` (every CLI event has one); the key for de-duplication. */
  readonly uuid: string | undefined;
  /** The event's JSON text exactly as received, without the line ending. */
  readonly line: string;
  /**
   * The parsed JSON object. For `user` and `stream_event` events (the bulk of a transcript's
   * bytes: tool output) it is parsed on first access, so code that only needs the summary or
   * the raw line never pays for it.
   */
  readonly data: Data;
}

export type InitEvent = JsonEventBase<"init", SystemInitData>;
export type ApiRetryEvent = JsonEventBase<"api_retry", ApiRetryData>;
export type SystemEvent = JsonEventBase<"system", SystemData>;
export type AssistantEvent = JsonEventBase<"assistant", AssistantData>;
export type UserEvent = JsonEventBase<"user", UserData>;
export type ResultEvent = JsonEventBase<"result", ResultData>;
export type RateLimitEvent = JsonEventBase<"rate_limit_event", RateLimitData>;
export type PartialMessageEvent = JsonEventBase<"stream_event", PartialMessageData>;
/** Valid JSON object of a type this package does not know (kept raw, so nothing is lost). */
export type UnknownEvent = JsonEventBase<"unknown", JsonObject>;

/** A line that is not a JSON event: a status line, a banner, the unreadable part of a broken line. */
export interface TextEvent {
  readonly kind: "text";
  readonly uuid: undefined;
  readonly text: string;
  /**
   * The text starts like a JSON object: an event cut off or damaged (a line cut mid-write, the
   * part before a glued event). It may hold anything the event held, tool output included, so it
   * is not read as something the CLI said.
   */
  readonly malformedJson: boolean;
}

/** Something the parser dropped, and why. */
export interface DiagnosticEvent {
  readonly kind: "diagnostic";
  readonly uuid: undefined;
  readonly code: "line_too_long";
  /** How many bytes were dropped (the whole line, without its line ending). */
  readonly bytes: number;
  readonly message: string;
}

export type JsonEvent =
  | InitEvent
  | ApiRetryEvent
  | SystemEvent
  | AssistantEvent
  | UserEvent
  | ResultEvent
  | RateLimitEvent
  | PartialMessageEvent
  | UnknownEvent;

export type StreamEvent = JsonEvent | TextEvent | DiagnosticEvent;

export type StreamEventKind = StreamEvent["kind"];
