import { CHECKOUT_CONTAINER, type RunManifests } from "@claude-k8s/manifest";
import type { AdapterExecutionResult } from "./paperclip-types.ts";

/** The run's workspace mode in the run log (runJob makes the agent's own claim ready before anything of the run exists). */
export async function logWorkspaceMode(manifests: RunManifests, status: (line: string) => Promise<void>): Promise<void> {
  const claim = manifests.agentVolume;
  if (claim === undefined) await status("workspace mode: shared-volume (HOME and workspace on the claim shared with the Paperclip server)");
  else await status(`workspace mode: agent-volume (the agent's own claim ${claim.metadata.namespace}/${claim.metadata.name}, working in ${manifests.workingDir})`);
}

/**
 * Which mode the run used, and the agent's claim, for dashboards and support (`resultJson`).
 * A failed checkout of the project's repository gets its own code (its message, from the
 * container's last line, names the cause: refused credentials, missing ref, unreachable URL).
 */
export function withWorkspaceMode(result: AdapterExecutionResult, manifests: RunManifests): AdapterExecutionResult {
  const checkoutFailed = result.errorCode === "k8s_init_container_failed" && (result.errorMessage ?? "").includes(`init container ${CHECKOUT_CONTAINER} `);
  return {
    ...result,
    ...(checkoutFailed ? { errorCode: "k8s_git_checkout_failed" } : {}),
    resultJson: {
      ...(result.resultJson ?? {}),
      workspaceMode: manifests.workspaceMode,
      ...(manifests.agentVolume ? { agentVolumeClaim: manifests.agentVolume.metadata.name } : {}),
      ...(manifests.checkout ? { checkout: { repoUrl: manifests.checkout.repoUrl, ...(manifests.checkout.repoRef ? { repoRef: manifests.checkout.repoRef } : {}), dir: manifests.checkout.dir } } : {}),
    },
  };
}
