import { describe, expect, it } from "vitest";
import type { StreamEvent } from "./events.ts";
import { createSummarizer, summarize } from "./summary.ts";
import { parseInChunks, parseWhole } from "./test-utils/events.ts";
import { longTranscript, readFixture } from "./test-utils/fixtures.ts";

const summaryOf = (name: string) => parseInChunks(readFixture(name)).summary;

const line = (object: Record<string, unknown>): string => JSON.stringify(object);
const assistantLine = (id: string, uuid: string, content: unknown[], extra: Record<string, unknown> = {}) =>
  line({ type: "assistant", message: { id, model: "claude-opus-5-5", content, stop_reason: null, usage: { input_tokens: 10, output_tokens: 2, cache_read_input_tokens: 5, cache_creation_input_tokens: 3 } }, session_id: "s-1", uuid, ...extra });

describe("summary of the recorded transcripts", () => {
  it("reads session, model, turns, duration, cost and all four token counts", () => {
    expect(summaryOf("text-only")).toMatchObject({
      sessionId: "c28d71f1-c4b7-416f-86a9-8f00e2e31f7d",
      model: "claude-opus-5-5",
      models: ["claude-opus-5-5"],
      numTurns: 1,
      durationMs: 889,
      costUsd: 0.049416,
      usage: { inputTokens: 12314, outputTokens: 8, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
      usageSource: "result",
      modelUsage: { "claude-opus-5-5": { inputTokens: 12314, outputTokens: 8, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, costUsd: 0.049416 } },
      summary: "All done: the task is complete.",
      permissionDenials: [],
      loginUrl: null,
    });
  });

  it("reports a resumed run's own cost, not the session's running total", () => {
    const summary = summaryOf("resume-second");
    expect(summary.sessionCostUsd).toBeCloseTo(0.09884, 6);
    expect(summary.costUsd).toBeCloseTo(0.04948, 6);
    expect(summary.modelUsage["claude-opus-5-5"]).toMatchObject({ inputTokens: 12345, costUsd: 0.04948 });
    expect(summary.usage.inputTokens).toBe(12345);
  });

  it("counts API retries and keeps the last status", () => {
    expect(summaryOf("rate-429").apiRetries).toEqual({ count: 10, lastStatus: 429, lastError: "rate_limit" });
    expect(summaryOf("connection-reset").apiRetries).toEqual({ count: 10, lastStatus: null, lastError: "unknown" });
    expect(summaryOf("text-only").apiRetries).toEqual({ count: 0, lastStatus: null, lastError: null });
  });

  it("keeps the CLI's API-error message apart from the model's text", () => {
    const summary = summaryOf("auth-401");
    expect(summary.apiErrorMessage).toEqual({ text: "Invalid API key · Fix external API key", error: "authentication_failed", status: 401, type: "authentication_error" });
    expect(summary.modelOutputSeen).toBe(false);
    expect(summary.models).toEqual([]);
  });

  it("without a result, sums usage from assistant messages once per message id", () => {
    const summary = summaryOf("killed-mid-run");
    expect(summary.result).toBeNull();
    expect(summary.usageSource).toBe("messages");
    // Two events of one message (its text, then its tool call) carry the same usage: counted once.
    expect(summary.usage).toEqual({ inputTokens: 12311, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
    expect(summary.summary).toBe("Running Bash.");
    expect(summary.modelOutputSeen).toBe(true);
  });

  it("summarises the long transcript as it streams", () => {
    const { bytes } = longTranscript();
    const { summary } = parseInChunks(bytes, Array.from({ length: 200 }, (_, i) => i * 65536));
    expect(summary.result?.isError).toBe(false);
    expect(summary.eventCounts.user).toBeGreaterThanOrEqual(300);
    expect(summary.summary).toBe("All done: the task is complete.");
  });
});

describe("summary text", () => {
  it("keeps every block when one message arrives as several events with the same message.id", () => {
    const text = [
      assistantLine("msg_1", "u1", [{ type: "text", text: "First part." }]),
      assistantLine("msg_1", "u2", [{ type: "tool_use", id: "t1", name: "Bash", input: {} }]),
      assistantLine("msg_1", "u3", [{ type: "text", text: "Second part." }]),
      assistantLine("msg_2", "u4", [{ type: "text", text: "First part." }]),
    ].join("\n");
    const summary = parseInChunks(text).summary;
    expect(summary.summary).toBe("First part.\n\nSecond part.\n\nFirst part.");
    expect(summary.usage.inputTokens).toBe(20);
  });

  it("leaves sub-agent text out of the summary, but counts its model", () => {
    const text = [
      assistantLine("m1", "u1", [{ type: "text", text: "Main agent." }]),
      line({ type: "assistant", message: { id: "m2", model: "claude-haiku-4-5", content: [{ type: "text", text: "Sub-agent notes." }] }, parent_tool_use_id: "toolu_task", uuid: "u2" }),
    ].join("\n");
    expect(parseInChunks(text).summary).toMatchObject({ summary: "Main agent.", models: ["claude-opus-5-5", "claude-haiku-4-5"] });
  });

  it("takes usage from the result's per-model figures when it has no usage object", () => {
    const text = line({ type: "result", subtype: "success", is_error: false, uuid: "r", modelUsage: { a: { inputTokens: 1, outputTokens: 2, cacheReadInputTokens: 3, cacheCreationInputTokens: 4, costUSD: 0.5 }, b: { inputTokens: 10 } } });
    expect(parseInChunks(text).summary).toMatchObject({ usageSource: "result", usage: { inputTokens: 11, outputTokens: 2, cacheReadInputTokens: 3, cacheCreationInputTokens: 4 } });
  });

  it("counts a server tool call or redacted thinking as model output", () => {
    const text = assistantLine("m", "u1", [{ type: "server_tool_use", id: "s1", name: "web_search", input: {} }]);
    expect(parseInChunks(text).summary.modelOutputSeen).toBe(true);
    expect(parseInChunks(assistantLine("m", "u1", [{ type: "text", text: "" }])).summary.modelOutputSeen).toBe(false);
  });

  it("prefers the result text when there is one", () => {
    const text = [assistantLine("m", "u1", [{ type: "text", text: "thinking aloud" }]), line({ type: "result", subtype: "success", is_error: false, result: "final", uuid: "u2" })].join("\n");
    expect(parseInChunks(text).summary.summary).toBe("final");
  });
});

describe("harness facts", () => {
  it("maps permission denials from the result", () => {
    const text = line({ type: "result", subtype: "success", is_error: false, permission_denials: [{ tool_name: "Bash", tool_use_id: "t1", tool_input: { command: "rm -rf /" } }], uuid: "r" });
    expect(parseInChunks(text).summary.permissionDenials).toEqual([{ toolName: "Bash", toolUseId: "t1", toolInput: { command: "rm -rf /" } }]);
  });

  it("records rate-limit events with their reset time", () => {
    const text = line({ type: "rate_limit_event", rate_limit_info: { status: "allowed_warning", resetsAt: 1893456000, rateLimitType: "five_hour", overageStatus: "rejected" }, uuid: "r1" });
    expect(parseInChunks(text).summary).toMatchObject({
      rateLimitEventCount: 1,
      rateLimits: [{ status: "allowed_warning", rateLimitType: "five_hour", resetsAt: "2030-01-01T00:00:00.000Z", overageStatus: "rejected" }],
    });
  });

  it("takes a login URL the CLI printed, and never one from tool output or model text", () => {
    const toolOutput = line({ type: "user", message: { content: [{ type: "tool_result", tool_use_id: "t", content: "visit https://claude.ai/oauth/authorize?code=tool" }] }, uuid: "u1" });
    const modelText = assistantLine("m", "u2", [{ type: "text", text: "log in at https://claude.ai/oauth/authorize?code=model" }]);
    expect(parseInChunks([toolOutput, modelText].join("\n")).summary.loginUrl).toBeNull();
    const printed = "Browser didn't open? Use the url below to sign in: https://claude.ai/oauth/authorize?code=true&client_id=abc.";
    expect(parseInChunks([toolOutput, printed].join("\n")).summary.loginUrl).toBe("https://claude.ai/oauth/authorize?code=true&client_id=abc");
  });

  it("takes no login URL from a broken event, whose text may be tool output", () => {
    const toolOutput = line({ type: "user", message: { content: [{ type: "tool_result", tool_use_id: "t", content: "Please run /login: https://claude.ai/oauth/authorize?code=tool" }] }, uuid: "u1" });
    const cut = toolOutput.slice(0, toolOutput.indexOf("code=tool") + 9);
    const result = line({ type: "result", subtype: "success", is_error: true, result: "API Error: 500", session_id: "s", uuid: "r" });
    const { summary } = parseInChunks(`${cut}${result}\n${cut}\n`);
    expect(summary.eventCounts).toMatchObject({ text: 2, result: 1 });
    expect(summary.loginUrl).toBeNull();
    expect(summary.firstTextLine).toBeNull();
  });

  it("never parses user or stream_event data to summarise", () => {
    const events = parseWhole(readFixture("tool-then-text"));
    const touched: string[] = [];
    const watch = (event: StreamEvent): StreamEvent =>
      new Proxy(event, {
        get(target, key) {
          if (key === "data") touched.push(`${target.kind} data`);
          return Reflect.get(target, key);
        },
      });
    const watched = events.map((event) => (event.kind === "user" ? watch(event) : event));
    summarize(watched);
    expect(touched).toEqual([]);
  });

  it("is the same summary whether built incrementally or at once", () => {
    const events = parseWhole(readFixture("rate-429"));
    const summarizer = createSummarizer();
    for (const event of events) summarizer.add(event);
    expect(summarizer.summary()).toEqual(summarize(events));
  });
});
