import { readFileSync } from "node:fs";
import path from "node:path";
import type { RunJobOutcome } from "@claude-k8s/k8s-runtime";
import { createStreamParser } from "@claude-k8s/stream-parser";
import { describe, expect, it } from "vitest";
import { toExecutionResult } from "./execution-result.ts";
import { recoveredSummary } from "./recovered-summary.ts";

const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, "../../stream-parser/test/fixtures", `${name}.jsonl`), "utf8");
const summaryOf = (text: string) => {
  const parser = createStreamParser();
  parser.write(text);
  parser.end();
  return parser.summary();
};
const finishedWith = (message: string, exitCode = 1): RunJobOutcome => ({
  kind: "finished",
  job: { name: "j", namespace: "n", uid: "u", adopted: false },
  container: { exitCode, reason: exitCode === 0 ? "Completed" : "Error", message, oomKilled: false },
  deletedExternally: false,
  timedOut: false,
  log: { lines: 3, connections: 2, oversized: 0, end: "aborted" },
  cleanup: "gone",
  events: [],
});

describe("recoveredSummary", () => {
  it("takes the result from the termination message when the log lost it", () => {
    const lines = fixture("auth-401").trimEnd().split("\n");
    const lostEnd = summaryOf(`${lines.slice(0, 2).join("\n")}\n`);
    expect(lostEnd.result).toBeNull();
    // What FallbackToLogsOnError keeps: the last lines, the first one possibly cut.
    const tail = lines.slice(-2).join("\n");
    const { summary, source } = recoveredSummary(lostEnd, finishedWith(`…truncated${tail.slice(-1800)}\n`));
    expect(source).toBe("termination-message");
    expect(summary.result?.isError).toBe(true);
  });

  it("keeps the log's summary when it has a result, or when the message holds none", () => {
    const whole = summaryOf(fixture("text-only"));
    expect(recoveredSummary(whole, finishedWith(fixture("auth-401"))).source).toBe("log");
    const partial = summaryOf(`${fixture("text-only").split("\n")[0]}\n`);
    expect(recoveredSummary(partial, finishedWith("plain text, no events")).source).toBe("log");
  });

  it("recovers a success whose log lost its end from the result the tap left in the termination message: outcome, usage and session", () => {
    const lines = fixture("tool-then-text").trimEnd().split("\n");
    const whole = summaryOf(`${lines.join("\n")}\n`);
    expect(whole.result).not.toBeNull();
    // The log stopped before the result line; the tap wrote the result event (shrunk) into the message.
    const resultLine = lines.find((line) => line.includes('"type":"result"')) ?? "";
    const lostEnd = summaryOf(`${lines.filter((line) => line !== resultLine).join("\n")}\n`);
    expect(lostEnd.result).toBeNull();
    const outcome = finishedWith(`${resultLine}\n`, 0);
    const { summary, source } = recoveredSummary(lostEnd, outcome);
    expect(source).toBe("termination-message");
    const result = toExecutionResult({ outcome, summary, stderrTail: "", billing: { provider: "anthropic", biller: "anthropic", billingType: "metered_api" }, lastLines: [], now: () => new Date("2026-12-01T00:00:00Z") });
    expect(result.errorCode ?? null).toBeNull();
    expect(result.sessionParams).toMatchObject({ sessionId: whole.sessionId });
    expect(result.usage).toEqual(toExecutionResult({ outcome, summary: whole, stderrTail: "", billing: { provider: "anthropic", biller: "anthropic", billingType: "metered_api" }, lastLines: [], now: () => new Date("2026-12-01T00:00:00Z") }).usage);
  });
});
