// classifyOutcome: what became of a run, decided from harness-authored surfaces only.
//
// Those surfaces are the `result` event, the synthetic API-error message and `api_retry` /
// `rate_limit_event` events (all written by the CLI itself), the CLI's stderr and its exit
// status. Never the model's text or tool output: an agent that reads a log saying "401
// Unauthorized" or works on a rate-limit ticket must not turn its own run into an auth or quota
// failure (one fleet had 89 false "auth" verdicts from the bare word "unauthorized").
import { findLoginUrl } from "./login-url.ts";
import { outcomeForStartupFailure } from "./startup-failure.ts";
import { type RunSummary, epochToIso } from "./summary.ts";

export type OutcomeCode =
  | "success"
  | "claude_auth_required"
  | "model_not_found"
  | "max_turns_exhausted"
  | "session_unavailable"
  | "provider_quota"
  | "claude_transient_upstream"
  | "llm_api_error"
  | "claude_truncated"
  | "claude_no_output"
  | "claude_error";

/** The families Paperclip's bounded retries key on. */
export type ErrorFamily = "transient_upstream" | "provider_quota";

export interface Outcome {
  code: OutcomeCode;
  errorFamily?: ErrorFamily;
  /** ISO 8601 time before which a retry is pointless (a quota or rate-limit reset), when known. */
  retryNotBefore?: string;
  /** Where a human can log in, when the CLI printed it. */
  loginUrl?: string;
  /** The stored session cannot continue: start the next run without it. */
  clearSession?: boolean;
  /** The CLI's structured reason for refusing to start (`startup_failure_reason`), when it gave one. */
  startupFailureReason?: string;
  /** One line for a human. */
  message: string;
}

export interface OutcomeInput {
  summary: RunSummary;
  /** The CLI's exit status; null or absent when unknown. */
  exitCode?: number | null;
  /** The CLI's own stderr (only its last 16 KiB is read). */
  stderr?: string;
}

const STDERR_TAIL = 16 * 1024;

const SESSION_GONE = /no conversation found with session id|unknown session|session\b.{0,80}\bnot found|could not resume|immutable thinking|blocks? must remain as they were|latest assistant message cannot be modified/i;
const QUOTA = /usage limit|hit your (?:usage )?limit|limit reached|out of (?:extra )?usage|out of credits|credit balance is (?:too )?low|(?:5-hour|five[- ]hour|weekly|daily|monthly|session) limit|exceeded your (?:current )?quota|quota exceeded|spending (?:cap|limit)/i;
const AUTH = /not logged in|please run \/login|\blog ?in required|requires? login|invalid api key|invalid (?:x-api-key|bearer token)|authentication[_ ](?:error|failed|required)|failed to authenticate|oauth token (?:has )?expired|token (?:has )?(?:expired|been revoked)|\bunauthori[sz]ed\b/i;
const MODEL_MISSING = /issue with the selected model|model\b.{0,80}\b(?:not found|does not exist|may not exist|not available|is not supported)|(?:invalid|unknown) model\b|not_found_error.{0,40}model/i;
const EMPTY_RESPONSE = /empty or malformed response|malformed response|empty response|no content in (?:the )?response/i;
const TRANSIENT = /overloaded|rate.?limit|too many requests|ECONNRESET|ETIMEDOUT|ECONNREFUSED|EPIPE|EAI_AGAIN|UND_ERR_[A-Z_]+|socket hang up|fetch failed|premature close|connection (?:dropped|reset|error|refused|closed|failed)|network error|timed? ?out|temporarily unavailable|service unavailable|bad gateway|gateway timeout|internal server error|server-side issue|\b(?:429|5\d\d)\b/i;
const TRANSIENT_ERRORS = new Set(["rate_limit", "overloaded", "server_error", "connection_failed", "timeout", "api_error", "unknown"]);

export function classifyOutcome(input: OutcomeInput): Outcome {
  const summary = input?.summary;
  if (typeof summary !== "object" || summary === null || !("eventCounts" in summary)) {
    throw new TypeError("classifyOutcome: input.summary must be a RunSummary from parser.summary() or summarize(events).");
  }
  const exitCode = input.exitCode ?? null;
  if (exitCode !== null && !Number.isInteger(exitCode)) {
    throw new TypeError(`classifyOutcome: input.exitCode must be an integer or null; got ${String(exitCode)}.`);
  }
  if (input.stderr !== undefined && typeof input.stderr !== "string") {
    throw new TypeError(`classifyOutcome: input.stderr must be the CLI's stderr as a string; got ${typeof input.stderr}. Decode a Buffer with .toString("utf8").`);
  }
  const stderr = (input.stderr ?? "").slice(-STDERR_TAIL);
  return summary.result ? fromResult(summary, exitCode, stderr) : withoutResult(summary, exitCode, stderr);
}

function fromResult(summary: RunSummary, exitCode: number | null, stderr: string): Outcome {
  const result = summary.result!;
  const refused = result.isError ? outcomeForStartupFailure(result.startupFailureReason, result.errors) : undefined;
  if (refused) return refused;
  // Older CLIs ended a capped run with a plain-looking result whose whole text is this marker;
  // anchored on both ends, it cannot be a sentence the model wrote about limits.
  const cappedMarker = /^Claude AI usage limit reached\|\d{9,13}$/.test((result.text ?? "").trim());
  // An API error status or terminal reason on a result means the API failed, whatever is_error says.
  const apiFailed = result.apiErrorStatus !== null || result.terminalReason === "api_error";
  if (!result.isError && !apiFailed && !cappedMarker && (result.subtype === "success" || result.subtype === null)) {
    // A "successful" run in which the model never produced anything (no content, no output
    // tokens, no result text) is an empty model answer, not work done.
    // The result's own usage is the CLI's count and outranks assistant lines: CLI 2.1.337 nudges
    // an empty answer once, then ends with subtype success, exit 0 and zero output tokens.
    const nothingProduced = summary.usageSource === "result" || !summary.modelOutputSeen;
    if (nothingProduced && summary.usage.outputTokens === 0 && (result.text ?? "").trim() === "") {
      return { code: "llm_api_error", message: "the model returned an empty answer (no content and no output tokens), though the CLI reported success" };
    }
    const facts = [
      summary.numTurns === null ? "" : `${summary.numTurns} turn${summary.numTurns === 1 ? "" : "s"}`,
      summary.costUsd === null ? "" : `$${summary.costUsd.toFixed(4)}`,
      // The work is done; a non-zero status after it (a kill during shutdown) is worth a note.
      exitCode === null || exitCode === 0 ? "" : `then exit ${exitCode}`,
    ].filter(Boolean);
    return { code: "success", message: `Claude Code finished${facts.length ? ` (${facts.join(", ")})` : ""}` };
  }
  if (result.subtype === "error_max_turns" || result.terminalReason === "max_turns") {
    return { code: "max_turns_exhausted", clearSession: true, message: `Claude Code stopped at its turn limit: ${describeResult(summary)}` };
  }
  const surfaces = [result.text ?? "", ...result.errors, summary.apiErrorMessage?.text ?? "", stderr].join("\n");
  const classified = fromApiFailure(summary, surfaces, result.apiErrorStatus ?? summary.apiErrorMessage?.status ?? null, result.apiErrorType, result.apiError);
  if (classified) return classified;
  const exit = exitCode === null ? "" : ` (exit ${exitCode})`;
  return { code: "claude_error", message: `Claude Code failed${exit}: ${describeResult(summary)}` };
}

function withoutResult(summary: RunSummary, exitCode: number | null, stderr: string): Outcome {
  const synthetic = summary.apiErrorMessage;
  const surfaces = [synthetic?.text ?? "", stderr].join("\n");
  if (SESSION_GONE.test(stderr)) {
    return { code: "session_unavailable", clearSession: true, message: `The session to resume is gone: ${oneLine(firstMatchingLine(stderr, SESSION_GONE))}` };
  }
  const loginUrl = summary.loginUrl ?? findLoginUrl(stderr) ?? null;
  if (loginUrl || AUTH.test(surfaces) || synthetic?.status === 401) {
    return auth(surfaces, loginUrl);
  }
  if (MODEL_MISSING.test(surfaces)) {
    return { code: "model_not_found", message: `The model is not available: ${oneLine(firstMatchingLine(surfaces, MODEL_MISSING))}` };
  }
  const status = exitCode === null ? "" : ` (${describeExit(exitCode)})`;
  if (summary.modelOutputSeen) {
    return { code: "claude_truncated", message: `Claude Code stopped mid-run without a result${status}; the model had produced output` };
  }
  if (synthetic || summary.apiRetries.count > 0) {
    const classified = fromApiFailure(summary, surfaces, synthetic?.status ?? summary.apiRetries.lastStatus, synthetic?.type ?? null, synthetic?.error ?? null);
    if (classified) return classified;
  }
  if (summary.emptyResponses > 0) {
    return { code: "llm_api_error", message: `The model API returned an empty response and Claude Code ended without a result${status}` };
  }
  const textLines = summary.eventCounts.text;
  const what =
    summary.eventCounts.init > 0
      ? "only its start-up event"
      : textLines > 0
        ? `no events, only ${textLines} line${textLines === 1 ? "" : "s"} of text`
        : "nothing";
  // stderr says why more often than not; so does a first text line (e.g. "sh: claude: not found").
  const why = lastLine(stderr) || summary.firstTextLine || "";
  const detail = why ? `: ${oneLine(why)}` : "";
  return { code: "claude_no_output", message: `Claude Code printed ${what}${status}${detail}` };
}

/** Auth, model, quota, empty-response and upstream failures, from a result or a synthetic API-error message. */
function fromApiFailure(summary: RunSummary, surfaces: string, status: number | null, type: string | null, apiError: string | null): Outcome | undefined {
  if (SESSION_GONE.test(surfaces)) {
    return { code: "session_unavailable", clearSession: true, message: `The session to resume is gone: ${oneLine(firstMatchingLine(surfaces, SESSION_GONE))}` };
  }
  const rejected = lastRejectedRateLimit(summary);
  if (QUOTA.test(surfaces) || rejected) {
    const retryNotBefore = rejected?.resetsAt ?? resetTimeIn(surfaces);
    return {
      code: "provider_quota",
      errorFamily: "provider_quota",
      ...(retryNotBefore ? { retryNotBefore } : {}),
      message: `Usage limit reached${retryNotBefore ? ` until ${retryNotBefore}` : ""}: ${oneLine(firstMatchingLine(surfaces, QUOTA) || surfaces)}`,
    };
  }
  const lastRetry = summary.apiRetries;
  if (status === 401 || type === "authentication_error" || summary.apiErrorMessage?.error === "authentication_failed" || AUTH.test(surfaces)) {
    return auth(surfaces, summary.loginUrl ?? findLoginUrl(surfaces) ?? null);
  }
  if ((status === 404 && type === "not_found_error") || MODEL_MISSING.test(surfaces)) {
    return { code: "model_not_found", message: `The model is not available: ${oneLine(firstMatchingLine(surfaces, MODEL_MISSING) || surfaces)}` };
  }
  if (EMPTY_RESPONSE.test(surfaces)) {
    return { code: "llm_api_error", message: `The model API returned an empty or malformed response: ${oneLine(firstMatchingLine(surfaces, EMPTY_RESPONSE))}` };
  }
  const effectiveStatus = status ?? lastRetry.lastStatus;
  const isTransientStatus = (code: number): boolean => code === 408 || code === 429 || code >= 500;
  // A known HTTP status decides; words in the text only count when there is none (a 400 whose
  // message happens to contain "500" or "timed out" is not an upstream hiccup).
  const transient =
    effectiveStatus !== null
      ? isTransientStatus(effectiveStatus)
      : TRANSIENT_ERRORS.has(apiError ?? "") || type === "overloaded_error" || type === "rate_limit_error" || TRANSIENT.test(surfaces);
  if (transient) {
    const retryNotBefore = resetTimeIn(surfaces);
    const retries = lastRetry.count > 0 ? ` after ${lastRetry.count} retr${lastRetry.count === 1 ? "y" : "ies"}` : "";
    return {
      code: "claude_transient_upstream",
      errorFamily: "transient_upstream",
      ...(retryNotBefore ? { retryNotBefore } : {}),
      message: `The model API failed${retries}${effectiveStatus === null ? "" : ` (HTTP ${effectiveStatus})`}: ${oneLine(firstNonEmptyLine(surfaces))}`,
    };
  }
  return undefined;
}

function auth(surfaces: string, loginUrl: string | null): Outcome {
  const said = firstMatchingLine(surfaces, AUTH) || firstNonEmptyLine(surfaces);
  const where = loginUrl ? ` Log in at ${loginUrl}` : " Log in (claude /login) or set a valid ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN";
  return {
    code: "claude_auth_required",
    ...(loginUrl ? { loginUrl } : {}),
    message: `Claude Code is not authenticated${said ? `: ${oneLine(said)}.` : "."}${where}`,
  };
}

/**
 * The latest rate-limit notice, when it says requests are being refused and overage is not
 * taking over. An earlier refusal the run got past says nothing about how it ended.
 */
function lastRejectedRateLimit(summary: RunSummary): { resetsAt: string | null } | undefined {
  const last = summary.rateLimits[summary.rateLimits.length - 1];
  if (!last || (last.status !== "rejected" && last.status !== "exceeded")) return undefined;
  if (last.overageStatus === "allowed" || last.overageStatus === "allowed_warning") return undefined;
  return last;
}

/** An absolute reset time in harness text: `...|<unix seconds>` (older CLIs) or an ISO 8601 time. */
function resetTimeIn(text: string): string | undefined {
  const epoch = /limit reached\|(\d{9,13})/i.exec(text);
  if (epoch) return epochToIso(Number(epoch[1])) ?? undefined;
  const iso = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/.exec(text);
  if (iso) return epochToIso(iso[0]) ?? undefined;
  return undefined;
}

function describeResult(summary: RunSummary): string {
  const result = summary.result!;
  const text = result.text || result.errors.join("; ") || `subtype ${result.subtype ?? "unknown"}`;
  return oneLine(text);
}

function describeExit(code: number): string {
  if (code === 137) return "exit 137: killed by SIGKILL, often the out-of-memory killer";
  if (code === 143) return "exit 143: stopped by SIGTERM";
  if (code === 124) return "exit 124: stopped by a timeout";
  return `exit ${code}`;
}

function firstMatchingLine(text: string, pattern: RegExp): string {
  for (const line of text.split("\n")) if (pattern.test(line)) return line;
  return "";
}

function firstNonEmptyLine(text: string): string {
  for (const line of text.split("\n")) if (line.trim()) return line;
  return "";
}

function lastLine(text: string): string {
  const lines = text.split("\n").filter((line) => line.trim());
  return lines[lines.length - 1] ?? "";
}

function oneLine(text: string, max = 240): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
