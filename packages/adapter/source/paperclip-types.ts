// The slice of Paperclip's adapter contract (@paperclipai/adapter-utils, server 2026.916.1)
// this adapter uses, written out here: that package weighs 58 MB for a handful of types.

export type LogStream = "stdout" | "stderr";

export interface AdapterExecutionContext {
  runId: string;
  agent: { id: string; companyId: string; name?: string | null } & Record<string, unknown>;
  runtime: {
    sessionId?: string | null;
    sessionParams?: Record<string, unknown> | null;
    sessionDisplayId?: string | null;
    taskKey?: string | null;
  };
  config: Record<string, unknown>;
  context: Record<string, unknown>;
  onLog: (stream: LogStream, chunk: string) => Promise<void>;
  onMeta?: (meta: AdapterInvocationMeta) => Promise<void> | void;
  onDispatch?: () => Promise<void> | void;
  signal?: AbortSignal;
  onCancellationReady?: () => Promise<void> | void;
  authToken?: string;
}

export interface AdapterInvocationMeta {
  adapterType: string;
  command: string;
  cwd?: string;
  commandArgs?: string[];
  commandNotes?: string[];
  env?: Record<string, string>;
  prompt?: string;
  promptMetrics?: Record<string, number>;
  context?: Record<string, unknown>;
}

export type BillingType = "api" | "subscription" | "metered_api" | "subscription_included" | "subscription_overage" | "credits" | "fixed" | "unknown";

export interface AdapterExecutionResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  errorMessage?: string;
  errorCode?: string;
  errorFamily?: string;
  retryNotBefore?: string;
  errorMeta?: Record<string, unknown>;
  usage?: { inputTokens: number; outputTokens: number; cachedInputTokens?: number };
  usageBasis?: "per_run" | "session_cumulative";
  sessionParams?: Record<string, unknown> | null;
  sessionDisplayId?: string | null;
  provider?: string;
  biller?: string;
  model?: string;
  billingType?: BillingType;
  costUsd?: number;
  resultJson?: Record<string, unknown>;
  summary?: string;
  clearSession?: boolean;
}

export interface AdapterEnvironmentCheck {
  code: string;
  level: "info" | "warn" | "error";
  message: string;
  detail?: string;
  hint?: string;
}

export interface AdapterEnvironmentTestContext {
  companyId: string;
  adapterType: string;
  config: Record<string, unknown>;
}

export interface AdapterEnvironmentTestResult {
  adapterType: string;
  status: "pass" | "warn" | "fail";
  checks: AdapterEnvironmentCheck[];
  testedAt: string;
}
