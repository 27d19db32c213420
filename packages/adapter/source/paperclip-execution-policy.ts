import type { AdapterEnvironmentCheck } from "./paperclip-types.ts";

/**
 * Paperclip's instance execution policy. With `PAPERCLIP_EXECUTION_MODE=kubernetes` in the
 * server's environment, Paperclip (2026.916.1) writes `executionMode: "kubernetes"` into the
 * instance settings at boot and then forces every run, whatever its adapter, onto the
 * managed environment of its own Kubernetes *sandbox provider*; a run that resolves to the
 * `local` environment, where claude_k8s runs (the adapter itself creates the Job), fails
 * before the adapter is called. claude_k8s does not run inside that sandbox provider, so on
 * such an instance its runs cannot start: the check says so, and how to lift the policy.
 *
 * Only the environment is visible here: a policy persisted by an earlier boot (the setting
 * outlives the variable) shows only when a run fails. The README's "Deploy to a cluster"
 * says how to reset it.
 */
export function executionPolicyCheck(env: Readonly<Record<string, string | undefined>>): AdapterEnvironmentCheck | undefined {
  const mode = env.PAPERCLIP_EXECUTION_MODE?.trim();
  if (!mode || mode === "any") return undefined;
  if (mode !== "kubernetes") {
    return { code: "paperclip_execution_mode_unknown", level: "warn", message: `PAPERCLIP_EXECUTION_MODE is ${JSON.stringify(mode)}, a mode this adapter does not know`, hint: 'Paperclip accepts "kubernetes" or "any"; claude_k8s runs only under "any" (or the variable unset)' };
  }
  return {
    code: "paperclip_execution_mode_kubernetes",
    level: "error",
    message: "Paperclip forces every run onto its Kubernetes sandbox provider (PAPERCLIP_EXECUTION_MODE=kubernetes): claude_k8s runs use the local environment and are refused before they start",
    detail: "claude_k8s creates its own Job per run (Pod Security restricted, no ServiceAccount token, the install bundle's NetworkPolicy); it does not run inside Paperclip's sandbox provider.",
    hint: 'remove PAPERCLIP_EXECUTION_MODE (or set it to "any") from the Paperclip server\'s environment, restart it, and reset the persisted setting: PATCH /api/instance/settings/general {"executionMode":"any"} as an instance admin',
  };
}
