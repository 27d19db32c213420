/**
 * What the runtime tells the server's log: a message and, when it concerns one run, which
 * run, agent and Job. The host (the adapter) decides the format; the runtime only fills in
 * what it knows. Fields are names and ids, never values from a Secret or agent config.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface LogFields {
  level?: LogLevel;
  runId?: string;
  agentId?: string;
  /** `namespace/name` of the run's Job. */
  job?: string;
}

export type RuntimeLog = (message: string, fields?: LogFields) => void;
