import type { AdapterExecutionResult } from "../paperclip-types.ts";

/**
 * `claude-k8s run`'s exit status, one per outcome class, so a script can tell a model or
 * agent failure (retry later, or read the transcript) from a cluster failure (check the
 * cluster), a config error (fix the config), a cancel and a timeout. 2 stays the usage error.
 */
export const ExitStatus = {
  success: 0,
  agentFailure: 1,
  usage: 2,
  clusterFailure: 3,
  configError: 4,
  cancelled: 5,
  timeout: 6,
} as const;

/** Codes that mean the config (or what it makes) cannot run, whatever the cluster does. */
const CONFIG_CODES = new Set([
  "k8s_config_invalid",
  "k8s_config_forbidden",
  "k8s_mount_forbidden",
  "k8s_path_outside_volume",
  "k8s_run_context_invalid",
  "k8s_secret_too_large",
  "k8s_env_too_large",
]);

export function exitStatusOf(result: Pick<AdapterExecutionResult, "errorCode" | "errorMessage" | "exitCode" | "timedOut">): number {
  const code = result.errorCode ?? undefined;
  if (code === undefined && result.errorMessage === undefined && (result.exitCode ?? 0) === 0) return ExitStatus.success;
  if (code === "cancelled") return ExitStatus.cancelled;
  if (code === "timeout" || result.timedOut) return ExitStatus.timeout;
  if (code !== undefined && CONFIG_CODES.has(code)) return ExitStatus.configError;
  if (code?.startsWith("k8s_")) return ExitStatus.clusterFailure;
  return ExitStatus.agentFailure;
}
