import { ensureAgentVolume, type RuntimeContext } from "@claude-k8s/k8s-runtime";
import { type AdapterConfig, CHECKOUT_CONTAINER, type RunManifests } from "@claude-k8s/manifest";
import type { AdapterExecutionResult } from "./paperclip-types.ts";

/**
 * The run's workspace mode in the run log, and its agent volume made ready before anything of
 * the run exists (a claim that cannot bind fails the run with `k8s_volume_pending`, leaving no
 * Job, pod or Secret).
 */
export async function prepareWorkspaceMode(
  runtime: Pick<RuntimeContext, "client">,
  manifests: RunManifests,
  config: Pick<AdapterConfig, "podScheduleTimeoutSec">,
  agentId: string,
  signal: AbortSignal,
  status: (line: string) => Promise<void>,
): Promise<void> {
  const claim = manifests.agentVolume;
  if (claim === undefined) {
    await status(`workspace mode: shared-volume (HOME and workspace on the claim shared with the Paperclip server)`);
    return;
  }
  await status(`workspace mode: agent-volume (the agent's own claim ${claim.metadata.namespace}/${claim.metadata.name}, working in ${manifests.workingDir})`);
  const lines: string[] = [];
  const report = await ensureAgentVolume({
    client: runtime.client,
    claim,
    agentId,
    budgetMs: config.podScheduleTimeoutSec * 1000,
    signal,
    log: (line) => lines.push(line),
  });
  for (const line of lines) await status(line);
  if (report.ready !== "bound") await status(`agent volume ${claim.metadata.name}: ${report.ready}`);
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
