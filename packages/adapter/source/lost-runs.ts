import { discardFinishedRun, type FinishedRun, findFinishedRuns, type RuntimeContext } from "@claude-k8s/k8s-runtime";
import { resumeSessionId, type RunContext, taskIdOf } from "@claude-k8s/manifest";
import { createStreamParser } from "@claude-k8s/stream-parser";

/** What a run of this task learned from one that finished while no adapter process followed it. */
export interface RecoveredRun {
  runId: string | undefined;
  job: string;
  exitCode: number | undefined;
  /** The session that run ended in (from claude's result event in the termination message). */
  sessionId: string | undefined;
  isError: boolean | undefined;
  result: string | undefined;
}

/**
 * A run whose adapter process went down (restart, deploy) while its Job ran on: the Job
 * finished unobserved, and Paperclip, which never re-attaches, marked the run lost. The next
 * run of the same task takes what is left: claude's result event from the Job's termination
 * message (the result tap writes it there), above all the session it ended in, which this
 * run then resumes instead of the older one Paperclip holds. Then the Job is deleted.
 *
 * Only a lost run that continued the session this run would resume counts (or neither had
 * one): an older Job (a retained one, say) never takes the task back to an old session.
 */
export async function recoverLostRuns(options: {
  runtime: RuntimeContext;
  namespace: string;
  run: RunContext;
  ownerStaleAfterMs: number;
  status: (line: string) => Promise<void>;
  signal?: AbortSignal;
}): Promise<{ recovered: RecoveredRun[]; resumeSessionId: string | undefined }> {
  const taskId = taskIdOf(options.run);
  if (taskId === undefined) return { recovered: [], resumeSessionId: undefined };
  const current = resumeSessionId(options.run);
  // A Job of this very run (Paperclip re-executing it) is adopted by the launch instead, as before.
  const found = (
    await findFinishedRuns({ runtime: options.runtime, namespace: options.namespace, agentId: options.run.agent.id, taskId, ownerStaleAfterMs: options.ownerStaleAfterMs, ...(options.signal ? { signal: options.signal } : {}) })
  ).filter((run) => run.resumedSessionId === current && run.runId !== options.run.runId);
  found.sort((a, b) => Date.parse(a.completedAt ?? "") - Date.parse(b.completedAt ?? ""));
  const recovered: RecoveredRun[] = [];
  for (const run of found) {
    const taken = fromTerminationMessage(run);
    recovered.push(taken);
    await options.status(
      `run ${run.runId ?? "?"} (Job ${run.namespace}/${run.jobName}) finished while no adapter process followed it: ${taken.isError === false ? "success" : `exit ${run.exitCode ?? "?"}`}` +
        (taken.sessionId ? `; this run resumes its session ${taken.sessionId}` : "; no result survived in its termination message"),
    );
    await discardFinishedRun(options.runtime, run, options.signal);
  }
  const latest = [...recovered].reverse().find((run) => run.sessionId !== undefined);
  return { recovered, resumeSessionId: latest?.sessionId };
}

function fromTerminationMessage(run: FinishedRun): RecoveredRun {
  const parser = createStreamParser();
  if (run.message.includes('"type"')) parser.write(run.message.endsWith("\n") ? run.message : `${run.message}\n`);
  const summary = parser.summary();
  return {
    runId: run.runId,
    job: `${run.namespace}/${run.jobName}`,
    exitCode: run.exitCode,
    sessionId: summary.result ? (summary.sessionId ?? undefined) : undefined,
    isError: summary.result ? summary.result.isError : undefined,
    result: summary.result?.text?.slice(0, 500) ?? undefined,
  };
}
