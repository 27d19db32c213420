// Test utilities: an execute() context shaped like the one Paperclip passes, recording what
// the adapter sends back through it.
import { randomUUID } from "node:crypto";
import type { AdapterExecutionContext, AdapterInvocationMeta } from "../paperclip-types.ts";

export interface RecordedContext {
  ctx: AdapterExecutionContext;
  /** Every onLog chunk, as emitted. */
  chunks: { stream: string; chunk: string }[];
  metas: AdapterInvocationMeta[];
  cancellationReady: number;
  abort: AbortController;
  /** The stream-json lines (chunks that parse as JSON objects). */
  jsonLines(): Record<string, unknown>[];
}

export function paperclipContext(options: {
  config: Record<string, unknown>;
  agentId?: string;
  runId?: string;
  issueId?: string;
  sessionId?: string;
  prompt?: string;
  /** Paperclip's workspace cwd for the run (a server path). */
  workspaceCwd?: string;
}): RecordedContext {
  const chunks: { stream: string; chunk: string }[] = [];
  const metas: AdapterInvocationMeta[] = [];
  const abort = new AbortController();
  const recorded: RecordedContext = {
    chunks,
    metas,
    cancellationReady: 0,
    abort,
    ctx: {
      runId: options.runId ?? randomUUID(),
      agent: { id: options.agentId ?? randomUUID(), companyId: "company-e2e", name: "E2E Agent", adapterType: "claude_k8s" },
      runtime: { sessionId: options.sessionId ?? null, sessionParams: options.sessionId ? { sessionId: options.sessionId } : null, sessionDisplayId: options.sessionId ?? null, taskKey: options.issueId ?? "issue-e2e" },
      config: options.config,
      context: {
        issueId: options.issueId ?? "issue-e2e",
        wakeReason: "issue_assigned",
        paperclipTaskMarkdown: options.prompt ?? "Say hello.",
        ...(options.workspaceCwd === undefined ? {} : { paperclipWorkspace: { cwd: options.workspaceCwd, source: "agent_home" } }),
      },
      onLog: async (stream, chunk) => {
        chunks.push({ stream, chunk });
      },
      onMeta: (meta) => {
        metas.push(meta);
      },
      onCancellationReady: () => {
        recorded.cancellationReady += 1;
      },
      signal: abort.signal,
      authToken: "agent-jwt-e2e",
    },
    jsonLines: () =>
      chunks.flatMap(({ chunk }) => {
        try {
          const value = JSON.parse(chunk);
          return value && typeof value === "object" ? [value as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      }),
  };
  return recorded;
}
