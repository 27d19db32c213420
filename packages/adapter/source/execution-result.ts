import { explainPodFailure, type RunJobOutcome } from "@claude-k8s/k8s-runtime";
import { classifyOutcome, type RunSummary } from "@claude-k8s/stream-parser";
import type { BillingFacts } from "./credentials.ts";
import type { AdapterExecutionResult } from "./paperclip-types.ts";

export interface ExecutionFacts {
  outcome: RunJobOutcome;
  /** stream-parser's summary of every log line the run produced. */
  summary: RunSummary;
  /** The non-JSON lines of the log (the CLI's stderr and shell messages), last part only. */
  stderrTail: string;
  billing: BillingFacts;
  configuredModel?: string;
  /** The run's workspace cwd as the server names it, stored with the session (Paperclip hands it back on resume). */
  cwd?: string;
  /** The last lines of the log (up to 30), for failure messages. */
  lastLines: readonly string[];
  /** Hides the run's secret values; a failure message quotes the termination message and Events, which the log's redaction never saw. */
  redact?: (text: string) => string;
  now: () => Date;
}

/**
 * One AdapterExecutionResult from what the cluster said and what the transcript said. Pure.
 * Kubernetes decides first when the container never ran or was stopped from outside;
 * otherwise the transcript's harness-authored surfaces decide (stream-parser), with the
 * container's exit status as one of them. A success never carries an errorMessage.
 */
export function toExecutionResult(facts: ExecutionFacts): AdapterExecutionResult {
  const { outcome } = facts;
  if (outcome.kind === "not-launched") {
    const result: AdapterExecutionResult = { exitCode: null, signal: null, timedOut: false, errorCode: outcome.code, errorMessage: outcome.message };
    // Cancelled before any Job existed: acknowledged at once, nothing left to stop.
    if (outcome.code === "cancelled") return { ...result, resultJson: { executionCancellation: { state: "acknowledged", acknowledgedAt: facts.now().toISOString(), forced: false } } };
    return result;
  }
  const base = transcriptFields(facts);
  const job = `Job ${outcome.job.namespace}/${outcome.job.name}`;
  const resultJson: Record<string, unknown> = {
    ...(base.resultJson ?? {}),
    kubernetes: { job: outcome.job.name, namespace: outcome.job.namespace, uid: outcome.job.uid, adopted: outcome.job.adopted, cleanup: outcome.cleanup, logLines: outcome.log.lines, logConnections: outcome.log.connections },
  };

  if (outcome.cancelled) {
    return {
      ...base,
      exitCode: null,
      signal: "SIGTERM",
      timedOut: false,
      errorCode: "cancelled",
      errorMessage: outcome.cancelled.jobMayStillRun
        ? `cancelled, but ${job} could not be deleted and may still be running: delete it (kubectl delete job ${outcome.job.name} -n ${outcome.job.namespace})`
        : `cancelled: ${job} deleted${outcome.cancelled.podsGone ? " and its pods confirmed gone" : "; its pods were still terminating"}`,
      resultJson: { ...resultJson, executionCancellation: { state: "acknowledged", acknowledgedAt: outcome.cancelled.acknowledgedAt, forced: !outcome.cancelled.podsGone } },
    };
  }
  if (outcome.timedOut) {
    const why = outcome.jobFailure?.deadlineExceeded ? `${job} exceeded its activeDeadlineSeconds` : outcome.podFailure?.code === "timeout" ? `the pod of ${job} exceeded its deadline` : `${job} did not finish within timeoutSec + graceSec`;
    return { ...base, exitCode: outcome.container?.exitCode ?? null, signal: null, timedOut: true, errorCode: "timeout", errorMessage: explain(`timeout: ${why}`, facts), resultJson };
  }
  const hasResult = facts.summary.result !== null;
  if (outcome.podFailure && !hasResult) {
    return { ...base, exitCode: null, signal: null, timedOut: false, errorCode: outcome.podFailure.code, errorMessage: explain(`${job}: ${outcome.podFailure.message}`, facts), resultJson };
  }
  if (outcome.deletedExternally && !hasResult && outcome.container === undefined) {
    return { ...base, exitCode: null, signal: null, timedOut: false, errorCode: "k8s_job_deleted_externally", errorMessage: explain(`${job} was deleted by someone else while the run was in progress`, facts), resultJson };
  }
  if (outcome.container?.oomKilled && !hasResult) {
    return { ...base, exitCode: outcome.container.exitCode, signal: "SIGKILL", timedOut: false, errorCode: "k8s_oom_killed", errorMessage: explain(`${job}: claude was killed for exceeding the container's memory limit (OOMKilled); raise resources.limits.memory`, facts), resultJson };
  }

  const exitCode = outcome.container?.exitCode ?? null;
  const verdict = classifyOutcome({ summary: facts.summary, exitCode, stderr: facts.stderrTail });
  if (verdict.code === "success") {
    return { ...base, exitCode: exitCode ?? 0, signal: null, timedOut: false, resultJson };
  }
  return {
    ...base,
    exitCode,
    signal: null,
    timedOut: false,
    errorCode: verdict.code,
    // Without a result event the container itself failed (crash, killed, cut off): explain the pod too.
    errorMessage: hasResult ? verdict.message : explain(verdict.message, facts),
    ...(verdict.errorFamily ? { errorFamily: verdict.errorFamily } : {}),
    ...(verdict.retryNotBefore ? { retryNotBefore: verdict.retryNotBefore } : {}),
    ...(verdict.clearSession ? { clearSession: true } : {}),
    ...(verdict.loginUrl ? { errorMeta: { loginUrl: verdict.loginUrl } } : {}),
    resultJson: { ...resultJson, ...(verdict.loginUrl ? { loginUrl: verdict.loginUrl } : {}) },
  };
}

/** What the transcript tells whatever the outcome: usage, cost, model, session, summary. */
function transcriptFields(facts: ExecutionFacts): Omit<AdapterExecutionResult, "exitCode" | "signal" | "timedOut"> {
  const { summary } = facts;
  const usage = summary.usage;
  const sessionId = summary.sessionId;
  const model = summary.model ?? facts.configuredModel;
  return {
    // Cache writes are input the model processed (billed above the input rate); cache reads are the cheap part Paperclip tracks apart.
    usage: { inputTokens: usage.inputTokens + usage.cacheCreationInputTokens, outputTokens: usage.outputTokens, cachedInputTokens: usage.cacheReadInputTokens },
    // stream-parser reports this run's figures even on a resumed session (the CLI's totals are session-wide).
    usageBasis: "per_run",
    ...(summary.costUsd !== null ? { costUsd: summary.costUsd } : {}),
    ...(model ? { model } : {}),
    provider: facts.billing.provider,
    biller: facts.billing.biller,
    billingType: facts.billing.billingType,
    ...(sessionId ? { sessionParams: { sessionId, ...(facts.cwd ? { cwd: facts.cwd } : {}), ...(model ? { model } : {}) }, sessionDisplayId: sessionId } : {}),
    ...(summary.summary ? { summary: summary.summary } : {}),
    resultJson: {
      usage: { ...usage },
      ...(summary.numTurns !== null ? { numTurns: summary.numTurns } : {}),
      ...(summary.durationMs !== null ? { durationMs: summary.durationMs } : {}),
      ...(Object.keys(summary.modelUsage).length > 0 ? { modelUsage: summary.modelUsage } : {}),
      ...(summary.apiRetries.count > 0 ? { apiRetries: summary.apiRetries } : {}),
      ...(summary.permissionDenials.length > 0 ? { permissionDenials: summary.permissionDenials } : {}),
    },
  };
}

/**
 * A pod-level failure's message: the headline, then what the pod says (first failing
 * container, pod reason, Events) and the log's last lines, with the run's secrets hidden.
 */
function explain(headline: string, facts: ExecutionFacts): string {
  const outcome = facts.outcome;
  if (outcome.kind !== "finished") return headline;
  const message = explainPodFailure({ headline, ...(outcome.lastPod ? { pod: outcome.lastPod.pod } : {}), events: outcome.events, logLines: facts.lastLines });
  return facts.redact ? facts.redact(message) : message;
}
