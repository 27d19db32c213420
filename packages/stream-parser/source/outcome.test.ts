import { describe, expect, it } from "vitest";
import { type OutcomeCode, classifyOutcome } from "./outcome.ts";
import { parseInChunks } from "./test-utils/events.ts";
import { fixtureExitCode, fixtureNames, fixtureStderr, longTranscript, readFixture } from "./test-utils/fixtures.ts";

/** The expected outcome of every recorded transcript (also in the README). */
const expected: Record<string, { code: OutcomeCode; errorFamily?: string; clearSession?: true }> = {
  "text-only": { code: "success" },
  "tool-then-text": { code: "success" },
  "write-read": { code: "success" },
  "long-300-turns": { code: "success" },
  "max-turns": { code: "max_turns_exhausted", clearSession: true },
  "resume-first": { code: "success" },
  "resume-second": { code: "success" },
  "resume-unknown": { code: "session_unavailable", clearSession: true },
  "sideload-disabled": { code: "claude_error" },
  "not-logged-in": { code: "claude_auth_required" },
  "auth-401": { code: "claude_auth_required" },
  "rate-429": { code: "claude_transient_upstream", errorFamily: "transient_upstream" },
  "overloaded-529": { code: "claude_transient_upstream", errorFamily: "transient_upstream" },
  "server-500": { code: "claude_transient_upstream", errorFamily: "transient_upstream" },
  "connection-reset": { code: "claude_transient_upstream", errorFamily: "transient_upstream" },
  empty: { code: "llm_api_error" },
  "killed-mid-run": { code: "claude_truncated" },
  "posttooluse-updated-output": { code: "success" },
};

const outcomeOf = (text: string | Uint8Array, exitCode: number | null = 1, stderr = "") =>
  classifyOutcome({ summary: parseInChunks(text).summary, exitCode, stderr });

const line = (object: Record<string, unknown>): string => JSON.stringify(object);
const apiFailure = (result: string, extra: Record<string, unknown> = {}) =>
  line({ type: "result", subtype: "success", is_error: true, terminal_reason: "api_error", result, uuid: "r", ...extra });
const init = line({ type: "system", subtype: "init", session_id: "s", model: "claude-opus-5-5", uuid: "i" });

describe("classifyOutcome on the recorded transcripts", () => {
  it("has an expectation for every committed fixture", () => {
    expect(fixtureNames().filter((name) => !(name in expected))).toEqual([]);
  });

  it.each(fixtureNames())("%s", (name) => {
    const outcome = classifyOutcome({ summary: parseInChunks(readFixture(name)).summary, exitCode: fixtureExitCode(name), stderr: fixtureStderr(name) });
    expect(outcome).toMatchObject(expected[name]!);
    if (!expected[name]!.errorFamily) expect(outcome.errorFamily).toBeUndefined();
    expect(outcome.message).not.toMatch(/\n/);
    expect(outcome.message.length).toBeGreaterThan(10);
  });

  it("long-300-turns", () => {
    expect(outcomeOf(longTranscript().bytes, 0)).toMatchObject(expected["long-300-turns"]!);
  });

  it("says which retries and status led to a transient failure", () => {
    expect(outcomeOf(readFixture("overloaded-529")).message).toMatch(/^The model API failed after 10 retries \(HTTP 529\): API Error: 529 Overloaded/);
  });
});

describe("other CLI versions' shapes", () => {
  // Key order, fields added or dropped between CLI releases: the outcome must not depend on them.
  const reshaped = (name: string): string =>
    readFixture(name)
      .toString("utf8")
      .split("\n")
      .filter(Boolean)
      .map((text) => {
        const { type, model_usage_since_last_result: _dropped, ...rest } = JSON.parse(text) as Record<string, unknown>;
        return JSON.stringify({ type, ...rest, added_in_a_later_release: { nested: [1, 2, 3] } });
      })
      .join("\r\n");

  it.each(fixtureNames())("%s keeps its outcome with type first, no per-run usage field, extra fields and CRLF", (name) => {
    const outcome = classifyOutcome({ summary: parseInChunks(reshaped(name)).summary, exitCode: fixtureExitCode(name), stderr: fixtureStderr(name) });
    expect(outcome).toMatchObject(expected[name]!);
  });
});

describe("tool output and model text change nothing", () => {
  const scary = [
    "HTTP/1.1 401 Unauthorized",
    "Not logged in · Please run /login at https://claude.ai/oauth/authorize?x=1",
    "API Error: Request rejected (429) · rate limit exceeded, too many requests",
    "You've hit your usage limit · resets 3pm",
    "No conversation found with session ID: 123",
    "API returned an empty or malformed response",
    "There's an issue with the selected model (nope). It may not exist",
    "529 Overloaded; ECONNRESET; 500 Internal server error",
  ].join("\n");
  const toolResult = line({ type: "user", message: { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: scary, is_error: true }] }, tool_use_result: { stdout: scary, stderr: scary }, uuid: "tool-1", session_id: "s" });
  const modelText = line({ type: "assistant", message: { id: "msg_x", model: "claude-opus-5-5", content: [{ type: "text", text: scary }], usage: { output_tokens: 5 } }, uuid: "model-1", session_id: "s" });
  const withNoise = (name: string): string => {
    const lines = readFixture(name).toString("utf8").split("\n").filter(Boolean);
    // After init, before everything else: as if the agent had read a scary log first.
    return [lines[0], toolResult, modelText, ...lines.slice(1)].join("\n");
  };

  it.each(fixtureNames())("%s keeps its outcome", (name) => {
    const clean = classifyOutcome({ summary: parseInChunks(readFixture(name)).summary, exitCode: fixtureExitCode(name), stderr: fixtureStderr(name) });
    const noisy = classifyOutcome({ summary: parseInChunks(withNoise(name)).summary, exitCode: fixtureExitCode(name), stderr: fixtureStderr(name) });
    expect(noisy.code).toBe(clean.code);
    expect(noisy.loginUrl).toBe(clean.loginUrl);
    expect(noisy.retryNotBefore).toBe(clean.retryNotBefore);
  });

  it("a successful run whose final answer talks about 401 and rate limits is a success", () => {
    const answer = "I found the bug: the client got 401 Unauthorized, then 429 rate limit errors.";
    const text = [init, toolResult, line({ type: "result", subtype: "success", is_error: false, result: answer, uuid: "r" })].join("\n");
    expect(outcomeOf(text, 0).code).toBe("success");
  });
});

describe("classifyOutcome rules", () => {
  it("never calls is_error: true a success, whatever the subtype", () => {
    expect(outcomeOf(apiFailure("Something odd happened"), 0).code).toBe("claude_error");
    expect(outcomeOf(line({ type: "result", subtype: "error_during_execution", is_error: false, uuid: "r" }), 0).code).toBe("claude_error");
  });

  it("reads a usage cap as provider_quota, with the reset time from a rejected rate-limit event", () => {
    const text = [
      init,
      line({ type: "rate_limit_event", rate_limit_info: { status: "rejected", resetsAt: 1893456000, rateLimitType: "five_hour" }, uuid: "rl" }),
      apiFailure("You've hit your limit · resets 3pm (UTC)", { api_error_status: 429 }),
    ].join("\n");
    expect(outcomeOf(text)).toMatchObject({ code: "provider_quota", errorFamily: "provider_quota", retryNotBefore: "2030-01-01T00:00:00.000Z" });
  });

  it("only a refusal in the latest rate-limit notice, without overage taking over, means a quota", () => {
    const notice = (status: string, overageStatus?: string) =>
      line({ type: "rate_limit_event", rate_limit_info: { status, resetsAt: 1893456000, rateLimitType: "five_hour", ...(overageStatus ? { overageStatus } : {}) }, uuid: `rl-${status}-${overageStatus}` });
    const failure = apiFailure("API Error: 500 Internal server error", { api_error_status: 500 });
    expect(outcomeOf([init, notice("rejected"), notice("allowed"), failure].join("\n")).code).toBe("claude_transient_upstream");
    expect(outcomeOf([init, notice("rejected", "allowed"), failure].join("\n")).code).toBe("claude_transient_upstream");
    expect(outcomeOf([init, notice("rejected", "rejected"), failure].join("\n")).code).toBe("provider_quota");
  });

  it("calls a 'successful' run in which the model produced nothing an empty model answer", () => {
    const emptySuccess = line({ type: "result", subtype: "success", is_error: false, result: "", num_turns: 2, usage: { input_tokens: 900, output_tokens: 0 }, uuid: "r" });
    expect(outcomeOf([init, emptySuccess].join("\n"), 0).code).toBe("llm_api_error");
    const spoke = line({ type: "result", subtype: "success", is_error: false, result: "Done.", usage: { input_tokens: 900, output_tokens: 3 }, uuid: "r2" });
    expect(outcomeOf([init, spoke].join("\n"), 0).code).toBe("success");
  });

  it("notes a non-zero exit after a successful result, and still calls it a success", () => {
    const success = line({ type: "result", subtype: "success", is_error: false, num_turns: 2, total_cost_usd: 0.5, result: "done", uuid: "r" });
    expect(outcomeOf(success, 137)).toEqual({ code: "success", message: "Claude Code finished (2 turns, $0.5000, then exit 137)" });
  });

  it("does not take a result that reports an API failure, or the old cap marker, as a success", () => {
    const plain = (extra: Record<string, unknown>) => line({ type: "result", subtype: "success", is_error: false, uuid: "r", ...extra });
    expect(outcomeOf(plain({ result: "Claude AI usage limit reached|1893456000" }), 0)).toMatchObject({ code: "provider_quota", retryNotBefore: "2030-01-01T00:00:00.000Z" });
    expect(outcomeOf(plain({ result: "API Error: 529 Overloaded", api_error_status: 529 }), 0).code).toBe("claude_transient_upstream");
    expect(outcomeOf(plain({ result: "I hit the usage limit reached|123 case in the parser and fixed it." }), 0).code).toBe("success");
  });

  it("reads the reset time older CLIs put after a bar", () => {
    expect(outcomeOf(apiFailure("Claude AI usage limit reached|1893456000"))).toMatchObject({ code: "provider_quota", retryNotBefore: "2030-01-01T00:00:00.000Z" });
  });

  it.each(["API Error: Connection error.", "TypeError: fetch failed", "UND_ERR_SOCKET: other side closed", "Request timed out."])("reads %j without a status as transient", (text) => {
    expect(outcomeOf(apiFailure(text))).toMatchObject({ code: "claude_transient_upstream", errorFamily: "transient_upstream" });
  });

  it("a per-minute 429 is transient, not a quota", () => {
    expect(outcomeOf(apiFailure("API Error: Request rejected (429) · rate limit", { api_error_status: 429 }))).toMatchObject({ code: "claude_transient_upstream", errorFamily: "transient_upstream" });
  });

  it("a 401 after a usage cap is the cap, not a login problem", () => {
    expect(outcomeOf(apiFailure("Failed to authenticate: out of extra usage", { api_error_status: 401 })).code).toBe("provider_quota");
  });

  it("lets a known non-transient HTTP status win over words in the text", () => {
    const text = apiFailure('API Error: 400 {"error":{"type":"invalid_request_error","message":"max_tokens: 500 is too large, request timed out"}}', { api_error_status: 400 });
    expect(outcomeOf(text).code).toBe("claude_error");
  });

  it("recognises a missing model", () => {
    const text = apiFailure("There's an issue with the selected model (claude-nope). It may not exist or you may not have access to it.", { api_error_status: 404, api_error_type: "not_found_error" });
    expect(outcomeOf(text).code).toBe("model_not_found");
  });

  it("gives the login URL the CLI printed on stderr", () => {
    const outcome = outcomeOf(init, 1, "Invalid API key\nPlease visit https://claude.ai/oauth/authorize?client_id=x to log in.\n");
    expect(outcome).toMatchObject({ code: "claude_auth_required", loginUrl: "https://claude.ai/oauth/authorize?client_id=x" });
  });

  it("reads a lost session from stderr when there is no result", () => {
    expect(outcomeOf("", 1, "No conversation found with session ID: abc\n")).toMatchObject({ code: "session_unavailable", clearSession: true });
  });

  it("calls nothing, or only init, claude_no_output", () => {
    expect(outcomeOf("", 1)).toMatchObject({ code: "claude_no_output", message: "Claude Code printed nothing (exit 1)" });
    expect(outcomeOf(init, 0).code).toBe("claude_no_output");
    expect(outcomeOf(`${init}\n[paperclip] keepalive`, 143).message).toMatch(/only its start-up event \(exit 143: stopped by SIGTERM\): \[paperclip\] keepalive$/);
    expect(outcomeOf("sh: 1: claude: not found\n", 127)).toMatchObject({
      code: "claude_no_output",
      message: "Claude Code printed no events, only 1 line of text (exit 127): sh: 1: claude: not found",
    });
  });

  it("calls an empty model answer with no result llm_api_error, and content then nothing claude_truncated", () => {
    const empty = line({ type: "assistant", message: { id: "m", model: "claude-opus-5-5", content: [], stop_reason: null, usage: { output_tokens: 0 } }, uuid: "a" });
    expect(outcomeOf(`${init}\n${empty}`, 0).code).toBe("llm_api_error");
    const some = line({ type: "assistant", message: { id: "m", model: "claude-opus-5-5", content: [{ type: "text", text: "Working" }] }, uuid: "a" });
    expect(outcomeOf(`${init}\n${some}`, 137).message).toMatch(/SIGKILL/);
  });

  it("classifies retries that end without a result from the retry events", () => {
    const retry = line({ type: "system", subtype: "api_retry", attempt: 3, max_retries: 10, error_status: 529, error: "overloaded", uuid: "x" });
    expect(outcomeOf(`${init}\n${retry}`, 143)).toMatchObject({ code: "claude_transient_upstream", errorFamily: "transient_upstream" });
  });

  it("refuses input that is not a summary", () => {
    expect(() => classifyOutcome({} as never)).toThrow(/input.summary must be a RunSummary/);
    expect(() => classifyOutcome({ summary: parseInChunks("").summary, exitCode: 1.5 })).toThrow(/exitCode must be an integer or null; got 1.5/);
    expect(() => classifyOutcome({ summary: parseInChunks("").summary, stderr: Buffer.from("x") as never })).toThrow(/stderr must be the CLI's stderr as a string; got object/);
  });
});
