// What a scripted model can do on one request. Steps are plain JSON so a script file for
// the CLI (`cli.ts --script file.json`) and a test's array are the same thing.

export type ToolCall = {
  name: string;
  input: Record<string, unknown>;
  /** tool_use id; default `toolu_<request>_<n>` (unique per server). */
  id?: string;
};

type Common = {
  /** Wait this long before answering (headers included). */
  delayMs?: number;
  /**
   * How many consecutive scripted requests this step answers (default 1). The CLI retries
   * failed calls, so an error meant to last the whole run needs `"forever"` or a count
   * above CLAUDE_CODE_MAX_RETRIES.
   */
  repeat?: number | "forever";
  /**
   * Hold the answer until the test calls `release(name)` on the server (or closes it): the
   * reply is ordered after something the test observes, instead of after a guessed delay
   * that a loaded machine outruns.
   */
  heldUntil?: string;
};

/** A text answer that ends the turn. */
export type TextStep = Common & { kind: "text"; text: string };

/** One or more tool calls (optionally after some text); the CLI runs them and asks again. */
export type ToolUseStep = Common & { kind: "tool_use"; calls: ToolCall[]; text?: string };

/** An HTTP error with Anthropic's error body and headers, or (inStream) an SSE `error` event after message_start. */
export type ErrorStep = Common & {
  kind: "error";
  status: number;
  /** Anthropic error type; default from the status (401 authentication_error, 429 rate_limit_error, 529 overloaded_error, ...). */
  errorType?: string;
  message?: string;
  /** Seconds for `retry-after` (429/529 default 1); also sets the anthropic-ratelimit-*-reset headers on 429. */
  retryAfterSeconds?: number;
  /** Answer 200 and send the error as an SSE event mid-stream, as the API does for overloads during a reply. */
  inStream?: boolean;
};

/** Start a streamed answer, then cut the TCP connection without message_stop. */
export type DropStep = Common & {
  kind: "drop";
  /** Text streamed before the cut (default "Let me"). */
  text?: string;
  /** How many SSE events to send before the cut (default: message_start, content_block_start, one delta = 3). */
  afterEvents?: number;
};

/** Accept the request and never answer (until the server closes); afterEvents > 0 sends that many events first. */
export type HangStep = Common & { kind: "hang"; afterEvents?: number };

/** A well-formed reply with no content blocks and output_tokens 0. */
export type EmptyStep = Common & { kind: "empty" };

export type Step = TextStep | ToolUseStep | ErrorStep | DropStep | HangStep | EmptyStep;

export const stepKinds = ["text", "tool_use", "error", "drop", "hang", "empty"] as const;

// Constructors: tests read better with `toolUse("Bash", {command})` than with object literals.
export const text = (value: string, extra: Common = {}): TextStep => ({ kind: "text", text: value, ...extra });
export const toolUse = (name: string, input: Record<string, unknown>, extra: Common & { id?: string; text?: string } = {}): ToolUseStep => {
  const { id, text: leading, ...common } = extra;
  return { kind: "tool_use", calls: [{ name, input, ...(id === undefined ? {} : { id }) }], ...(leading === undefined ? {} : { text: leading }), ...common };
};
export const apiError = (status: number, extra: Omit<ErrorStep, "kind" | "status"> = {}): ErrorStep => ({ kind: "error", status, ...extra });
export const dropStream = (extra: Omit<DropStep, "kind"> = {}): DropStep => ({ kind: "drop", ...extra });
export const hang = (extra: Omit<HangStep, "kind"> = {}): HangStep => ({ kind: "hang", ...extra });
export const emptyReply = (extra: Common = {}): EmptyStep => ({ kind: "empty", ...extra });
