import type { RunJobOutcome } from "@claude-k8s/k8s-runtime";
import { createStreamParser, type RunSummary } from "@claude-k8s/stream-parser";

/**
 * The summary to judge the run by. Normally the one of every line the log delivered. When
 * the log lost the end of the run (no result event), the container's termination message
 * may still hold it: the result tap (@claude-k8s/manifest) writes claude's result event there
 * on any exit, success included; and with `FallbackToLogsOnError` a claude that failed
 * without one leaves the tail of its output there. A result found there wins; otherwise the log's.
 */
export function recoveredSummary(fromLog: RunSummary, outcome: RunJobOutcome): { summary: RunSummary; source: "log" | "termination-message" } {
  if (fromLog.result !== null || outcome.kind !== "finished") return { summary: fromLog, source: "log" };
  const message = outcome.container?.message ?? "";
  if (!message.includes('"type"')) return { summary: fromLog, source: "log" };
  const parser = createStreamParser();
  // The message is the log's last bytes: its first line may be cut; the parser keeps what it can read.
  parser.write(message.endsWith("\n") ? message : `${message}\n`);
  const fromMessage = parser.summary();
  return fromMessage.result !== null ? { summary: { ...fromMessage, sessionId: fromMessage.sessionId ?? fromLog.sessionId, model: fromMessage.model ?? fromLog.model }, source: "termination-message" } : { summary: fromLog, source: "log" };
}
