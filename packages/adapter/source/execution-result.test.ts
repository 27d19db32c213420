import { readFileSync } from "node:fs";
import path from "node:path";
import type { RunJobOutcome } from "@claude-k8s/k8s-runtime";
import { createStreamParser, type RunSummary } from "@claude-k8s/stream-parser";
import { describe, expect, it } from "vitest";
import { toExecutionResult } from "./execution-result.ts";

const fixtures = path.resolve(import.meta.dirname, "../../stream-parser/test/fixtures");

function summaryOf(name: string): RunSummary {
  const parser = createStreamParser();
  parser.write(readFileSync(path.join(fixtures, `${name}.jsonl`)));
  parser.end();
  return parser.summary();
}
const noOutput = (): RunSummary => createStreamParser().summary();
const exitOf = (name: string) => Number(readFileSync(path.join(fixtures, `${name}.exit`), "utf8").trim());

const job = { name: "ac-agent-run-abc", namespace: "agents", uid: "uid-1", adopted: false };
const finished = (overrides: Partial<Extract<RunJobOutcome, { kind: "finished" }>> = {}): RunJobOutcome => ({
  kind: "finished",
  job,
  deletedExternally: false,
  timedOut: false,
  log: { lines: 10, connections: 1, oversized: 0, end: "complete" },
  cleanup: "gone",
  events: [],
  ...overrides,
});
const billing = { provider: "anthropic" as const, biller: "anthropic" as const, billingType: "metered_api" as const };
const facts = (outcome: RunJobOutcome, summary: RunSummary, extra: { stderrTail?: string; lastLines?: string[] } = {}) => ({
  outcome,
  summary,
  stderrTail: extra.stderrTail ?? "",
  billing,
  cwd: "/paperclip/workspaces/ceo",
  lastLines: extra.lastLines ?? [],
  now: () => new Date("2026-11-22T10:00:00Z"),
});
const exited = (name: string) => finished({ container: { exitCode: exitOf(name), reason: exitOf(name) === 0 ? "Completed" : "Error", message: "", oomKilled: false } });

describe("toExecutionResult", () => {
  it("maps a successful run: no errorMessage, usage with cached tokens, cost, model, full session id", () => {
    const summary = summaryOf("tool-then-text");
    const result = toExecutionResult(facts(exited("tool-then-text"), summary));
    expect(result.errorMessage).toBeUndefined();
    expect(result.errorCode).toBeUndefined();
    expect(result).toMatchObject({ exitCode: 0, signal: null, timedOut: false, provider: "anthropic", billingType: "metered_api" });
    expect(result.usage).toEqual({
      inputTokens: summary.usage.inputTokens + summary.usage.cacheCreationInputTokens,
      outputTokens: summary.usage.outputTokens,
      cachedInputTokens: summary.usage.cacheReadInputTokens,
    });
    expect(result.costUsd).toBe(summary.costUsd);
    expect(result.usageBasis).toBe("per_run");
    expect(result.model).toBe(summary.model);
    expect(result.sessionDisplayId).toBe(summary.sessionId);
    expect(result.sessionParams).toEqual({ sessionId: summary.sessionId, cwd: "/paperclip/workspaces/ceo", model: summary.model });
    expect(result.resultJson?.kubernetes).toMatchObject({ job: job.name, namespace: "agents" });
  });

  it.each([
    ["auth-401", "claude_auth_required", undefined],
    ["rate-429", "claude_transient_upstream", "transient_upstream"],
    ["overloaded-529", "claude_transient_upstream", "transient_upstream"],
    ["server-500", "claude_transient_upstream", "transient_upstream"],
    ["max-turns", "max_turns_exhausted", undefined],
  ])("maps %s to %s", (fixture, code, family) => {
    const result = toExecutionResult(facts(exited(fixture), summaryOf(fixture)));
    expect(result.errorCode).toBe(code);
    expect(result.errorFamily).toBe(family);
    expect(result.errorMessage).toBeTruthy();
  });

  it("clears the session on an unknown resume id", () => {
    const stderr = readFileSync(path.join(fixtures, "resume-unknown.stderr"), "utf8");
    const result = toExecutionResult(facts(exited("resume-unknown"), summaryOf("resume-unknown"), { stderrTail: stderr }));
    expect(result).toMatchObject({ errorCode: "session_unavailable", clearSession: true });
  });

  it("reports a launch that never happened with its code and no exit status", () => {
    const result = toExecutionResult(facts({ kind: "not-launched", code: "k8s_concurrent_run_blocked", message: "Job x of run y is still running" }, summaryOf("empty")));
    expect(result).toEqual({ exitCode: null, signal: null, timedOut: false, errorCode: "k8s_concurrent_run_blocked", errorMessage: "Job x of run y is still running" });
  });

  it("acknowledges a cancellation that came before the Job existed", () => {
    const result = toExecutionResult(facts({ kind: "not-launched", code: "cancelled", message: "cancelled before Job agents/x was created; nothing was launched" }, noOutput()));
    expect(result).toMatchObject({ errorCode: "cancelled", resultJson: { executionCancellation: { state: "acknowledged", acknowledgedAt: "2026-11-22T10:00:00.000Z", forced: false } } });
  });

  it("says a cancelled run's Job may still be running, and names it, when it could not be deleted", () => {
    const result = toExecutionResult(facts(finished({ cancelled: { acknowledgedAt: "2026-11-22T10:00:00.000Z", podsGone: false, jobMayStillRun: true }, cleanup: "failed" }), summaryOf("killed-mid-run")));
    expect(result).toMatchObject({ errorCode: "cancelled", resultJson: { executionCancellation: { forced: true } } });
    expect(result.errorMessage).toMatch(/may still be running/);
    expect(result.errorMessage).toContain("kubectl delete job ac-agent-run-abc -n agents");
  });

  it("acknowledges a cancellation for Paperclip", () => {
    const result = toExecutionResult(facts(finished({ cancelled: { acknowledgedAt: "2026-11-22T10:00:00.000Z", podsGone: true } }), summaryOf("killed-mid-run")));
    expect(result).toMatchObject({ errorCode: "cancelled", signal: "SIGTERM", resultJson: { executionCancellation: { state: "acknowledged", acknowledgedAt: "2026-11-22T10:00:00.000Z", forced: false } } });
  });

  it("reports a timeout as timedOut with code timeout", () => {
    const result = toExecutionResult(facts(finished({ timedOut: true, jobFailure: { reason: "DeadlineExceeded", message: "Job was active longer than specified deadline", deadlineExceeded: true } }), summaryOf("killed-mid-run")));
    expect(result).toMatchObject({ timedOut: true, errorCode: "timeout" });
    expect(result.errorMessage).toContain("activeDeadlineSeconds");
  });

  it("reports pod failures with their own codes and the last log lines", () => {
    const result = toExecutionResult(facts(finished({ podFailure: { code: "k8s_image_pull_failed", reason: "ImagePullBackOff", message: 'container claude could not pull its image for 60 s (ImagePullBackOff: Back-off pulling image "nope:1")' }, events: ['warning Failed: Failed to pull image "nope:1"'] }), noOutput(), { lastLines: ["pulling..."] }));
    expect(result.errorCode).toBe("k8s_image_pull_failed");
    expect(result.errorMessage).toContain("nope:1");
    expect(result.errorMessage).toContain("pulling...");
    expect(result.errorMessage).toContain('warning Failed: Failed to pull image "nope:1"');
  });

  it("tells an OOM kill and an external deletion apart from a truncated transcript", () => {
    const oom = toExecutionResult(facts(finished({ container: { exitCode: 137, reason: "OOMKilled", message: "", oomKilled: true } }), summaryOf("killed-mid-run")));
    expect(oom.errorCode).toBe("k8s_oom_killed");
    const deleted = toExecutionResult(facts(finished({ deletedExternally: true }), summaryOf("killed-mid-run")));
    expect(deleted.errorCode).toBe("k8s_job_deleted_externally");
    const truncated = toExecutionResult(facts(finished({ container: { exitCode: 137, reason: "Error", message: "", oomKilled: false } }), summaryOf("killed-mid-run")));
    expect(truncated.errorCode).toBe("claude_truncated");
  });

  it("explains a crashed container: its reason, exit code and message, the pod's Events and the log's last 30 lines, secrets hidden", () => {
    const secret = "sk-ant-api03-very-secret-value";
    const pod = { metadata: { name: "ac-agent-run-abc-x1" }, status: { phase: "Failed", containerStatuses: [{ name: "claude", state: { terminated: { exitCode: 3, reason: "Error", message: `fatal: token ${secret} rejected` } } }] } };
    const outcome = finished({ container: { exitCode: 3, reason: "Error", message: `fatal: token ${secret} rejected`, oomKilled: false }, lastPod: { pod, verdict: { kind: "terminated", exitCode: 3, reason: "Error", message: "", oomKilled: false } }, events: ["warning BackOff: back-off restarting"] });
    const lines = Array.from({ length: 40 }, (_, index) => `line ${index}`);
    const result = toExecutionResult({ ...facts(outcome, noOutput(), { lastLines: lines }), redact: (text: string) => text.split(secret).join("[redacted]") });
    const message = result.errorMessage ?? "";
    expect(message).toContain("container claude: Error (exit code 3): fatal: token [redacted] rejected");
    expect(message).toContain("warning BackOff: back-off restarting");
    expect(message).toContain("last 30 log lines:");
    expect(message).toContain("line 39");
    expect(message).not.toContain("line 9\n");
    expect(message).not.toContain(secret);
  });
});
