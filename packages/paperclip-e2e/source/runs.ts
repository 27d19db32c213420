// Reading heartbeat runs back from Paperclip: waiting for them, and their stored logs.
import { eventually } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import type { Json, PaperclipApi } from "./paperclip-api.ts";

export interface HeartbeatRun extends Json {
  id: string;
  agentId: string;
  status: string;
  errorCode: string | null;
  error: string | null;
  exitCode: number | null;
  sessionIdBefore: string | null;
  sessionIdAfter: string | null;
  usageJson: Json | null;
  resultJson: Json | null;
  contextSnapshot: Json | null;
  createdAt: string;
}

const active = new Set(["queued", "running", "scheduled_retry"]);
export const isTerminal = (run: HeartbeatRun) => !active.has(run.status);

export function agentRuns(api: PaperclipApi, companyId: string, agentId: string): Promise<HeartbeatRun[]> {
  return api.get<HeartbeatRun[]>(`/companies/${companyId}/heartbeat-runs?agentId=${agentId}`);
}

/** The agent's runs for one issue, oldest first. */
export async function issueRuns(api: PaperclipApi, companyId: string, agentId: string, issueId: string): Promise<HeartbeatRun[]> {
  const runs = await agentRuns(api, companyId, agentId);
  return runs.filter((run) => run.contextSnapshot?.issueId === issueId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export function waitForRun(api: PaperclipApi, runId: string, until: (run: HeartbeatRun) => boolean, what: string, timeoutMs = 180_000): Promise<HeartbeatRun> {
  return eventually(`run ${runId} ${what}`, async () => {
    const run = await api.get<HeartbeatRun>(`/heartbeat-runs/${runId}`);
    return until(run) ? run : undefined;
  }, timeoutMs);
}

/** Waits until the agent has no queued or running run (Paperclip starts follow-up runs by itself). */
export function waitAgentIdle(api: PaperclipApi, companyId: string, agentId: string, timeoutMs = 180_000): Promise<HeartbeatRun[]> {
  return eventually(`agent ${agentId} to have no active run`, async () => {
    const runs = await agentRuns(api, companyId, agentId);
    return runs.every(isTerminal) ? runs : undefined;
  }, timeoutMs);
}

export interface LogChunk {
  ts: string;
  stream: string;
  chunk: string;
  seq: number;
}

/** The chunks the adapter emitted through onLog, as Paperclip stored them. */
export async function runLogChunks(api: PaperclipApi, runId: string): Promise<LogChunk[]> {
  const body = JSON.parse(await api.runLog(runId)) as { content: string };
  return body.content
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as LogChunk);
}

/** The stream-json events among a run's stdout lines (the adapter's own notes are not JSON). */
export function streamJsonEvents(chunks: LogChunk[]): Json[] {
  const events: Json[] = [];
  for (const { stream, chunk } of chunks) {
    if (stream !== "stdout") continue;
    for (const line of chunk.split("\n")) {
      if (!line.startsWith("{")) continue;
      events.push(JSON.parse(line) as Json);
    }
  }
  return events;
}
