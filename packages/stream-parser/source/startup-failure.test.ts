import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyOutcome } from "./outcome.ts";
import { SIDELOAD_SETTING, outcomeForStartupFailure } from "./startup-failure.ts";
import { parseInChunks } from "./test-utils/events.ts";
import { fixtureExitCode, fixtureStderr, readFixture } from "./test-utils/fixtures.ts";

const outcomeOfFixture = (name: string) =>
  classifyOutcome({ summary: parseInChunks(readFixture(name)).summary, exitCode: fixtureExitCode(name), stderr: fixtureStderr(name) });

/** A zeroed start-up refusal as CLI 2.1.337 writes it. */
const refusal = (reason: unknown, errors: unknown[], extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ type: "result", subtype: "error_during_execution", is_error: true, num_turns: 0, total_cost_usd: 0, errors, startup_failure_reason: reason, uuid: "r", ...extra })}\n`;

describe("startup_failure_reason on the recorded transcripts (CLI 2.1.337)", () => {
  it("resume-unknown: resume_target_not_found is an unavailable session to clear", () => {
    expect(outcomeOfFixture("resume-unknown")).toMatchObject({ code: "session_unavailable", clearSession: true, startupFailureReason: "resume_target_not_found" });
  });

  it("sideload-disabled: names the managed setting, the refused flag and the fix", () => {
    const outcome = outcomeOfFixture("sideload-disabled");
    expect(outcome).toMatchObject({ code: "claude_error", startupFailureReason: "sideload_flags_disabled" });
    expect(outcome.clearSession).toBeUndefined();
    expect(outcome.errorFamily).toBeUndefined();
    expect(outcome.message).toContain(SIDELOAD_SETTING);
    expect(outcome.message).toContain("--mcp-config");
    expect(outcome.message).toMatch(/Remove mcpServers from the agent config/);
  });
});

describe("outcomeForStartupFailure", () => {
  it("says nothing without a reason", () => {
    expect(outcomeForStartupFailure(null, ["x"])).toBeUndefined();
    expect(outcomeForStartupFailure("", [])).toBeUndefined();
  });

  it("names a reason it has no special meaning for, with the CLI's message", () => {
    expect(outcomeForStartupFailure("cwd_unavailable", ["The working directory /w does not exist"])).toEqual({
      code: "claude_error",
      startupFailureReason: "cwd_unavailable",
      message: "Claude Code refused to start (startup_failure_reason cwd_unavailable): The working directory /w does not exist",
    });
  });

  it("property: every non-empty reason gives exactly one outcome that carries it; only resume_target_not_found clears the session", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.array(fc.string()), (reason, errors) => {
        const outcome = outcomeForStartupFailure(reason, errors)!;
        expect(outcome.startupFailureReason).toBe(reason);
        expect(outcome.code).toBe(reason === "resume_target_not_found" ? "session_unavailable" : "claude_error");
        expect(outcome.clearSession === true).toBe(reason === "resume_target_not_found");
        expect(outcome.errorFamily).toBeUndefined();
        expect(outcome.message).not.toMatch(/\n/);
      }),
    );
  });
});

describe("classifyOutcome with a start-up refusal", () => {
  it("property: the structured reason decides over any text in errors, stderr or exit status", () => {
    // Text that would otherwise read as auth, quota or an upstream failure must not win.
    const misleading = fc.constantFrom("API Error: 429 rate limited", "Not logged in · Please run /login", "usage limit reached", "ECONNRESET", "No conversation found with session ID: x");
    fc.assert(
      fc.property(fc.constantFrom("resume_target_not_found", "sideload_flags_disabled", "bypass_root"), misleading, misleading, fc.integer({ min: 0, max: 255 }), (reason, error, stderr, exitCode) => {
        const outcome = classifyOutcome({ summary: parseInChunks(refusal(reason, [error])).summary, exitCode, stderr });
        expect(outcome.startupFailureReason).toBe(reason);
        expect(outcome.code).toBe(reason === "resume_target_not_found" ? "session_unavailable" : "claude_error");
      }),
    );
  });

  it("ignores the field on a result that is not an error, and a reason that is not a string", () => {
    expect(classifyOutcome({ summary: parseInChunks(refusal("sideload_flags_disabled", [], { is_error: false, subtype: "success", result: "done", num_turns: 1 })).summary }).code).toBe(
      "success",
    );
    const notString = classifyOutcome({ summary: parseInChunks(refusal(42, ["something failed"])).summary, exitCode: 1 });
    expect(notString.startupFailureReason).toBeUndefined();
    expect(notString.code).toBe("claude_error");
  });

  it("an older CLI's resume failure (no reason, stderr only) still reads as an unavailable session", () => {
    const old = `${JSON.stringify({ type: "result", subtype: "error_during_execution", is_error: true, num_turns: 0, errors: [], uuid: "r" })}\n`;
    expect(classifyOutcome({ summary: parseInChunks(old).summary, exitCode: 1, stderr: "No conversation found with session ID: abc\n" })).toMatchObject({
      code: "session_unavailable",
      clearSession: true,
    });
  });
});
