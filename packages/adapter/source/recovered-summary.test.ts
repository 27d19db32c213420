import { readFileSync } from "node:fs";
import path from "node:path";
import type { RunJobOutcome } from "@claude-k8s/k8s-runtime";
import { createStreamParser } from "@claude-k8s/stream-parser";
import { describe, expect, it } from "vitest";
import { recoveredSummary } from "./recovered-summary.ts";

const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, "../../stream-parser/test/fixtures", `${name}.jsonl`), "utf8");
const summaryOf = (text: string) => {
  const parser = createStreamParser();
  parser.write(text);
  parser.end();
  return parser.summary();
};
const finishedWith = (message: string): RunJobOutcome => ({
  kind: "finished",
  job: { name: "j", namespace: "n", uid: "u", adopted: false },
  container: { exitCode: 1, reason: "Error", message, oomKilled: false },
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
});
