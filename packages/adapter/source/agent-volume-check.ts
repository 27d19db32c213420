import { KubeApiError, type KubeClient, storageClassFacts } from "@claude-k8s/k8s-runtime";
import { agentVolumeSelector } from "@claude-k8s/manifest";
import type { AdapterEnvironmentCheck } from "./paperclip-types.ts";

/**
 * `doctor` / "Test environment" without a shared claim: runs use agent-volume mode. Says how
 * many agent volumes the namespace holds, and whether the StorageClass their claims get exists
 * (an error: every run would fail with k8s_volume_pending), when it may read StorageClasses.
 */
export async function agentVolumeCheck(client: KubeClient, namespace: string, storageClass: string | undefined): Promise<AdapterEnvironmentCheck> {
  let volumes = "";
  try {
    const claims = await client.request<{ items: unknown[] }>({ method: "GET", path: `/api/v1/namespaces/${namespace}/persistentvolumeclaims`, query: { labelSelector: agentVolumeSelector() }, attempts: 2 });
    volumes = `; ${claims.items.length} agent volume${claims.items.length === 1 ? "" : "s"} in ${namespace} (claude-k8s sweep --volumes lists them)`;
  } catch {
    // Listing is a convenience here; the RBAC check above reports a missing permission.
  }
  let facts: ReturnType<typeof storageClassFacts> | undefined;
  try {
    const classes = await client.request<{ items: Parameters<typeof storageClassFacts>[1][number][] }>({ method: "GET", path: "/apis/storage.k8s.io/v1/storageclasses", attempts: 2 });
    facts = storageClassFacts(storageClass, classes.items ?? []);
  } catch (error) {
    if (!(error instanceof KubeApiError && (error.isForbidden || error.isNotFound))) throw error;
  }
  const base = "no shared volume (workspaceVolumeClaim): agent-volume mode, each agent gets a ReadWriteOnce claim of its own for its HOME and workspaces";
  if (facts?.kind === "missing") {
    return { code: "k8s_agent_volume_class_missing", level: "error", message: `${base}, but StorageClass ${facts.name} does not exist`, hint: "set agentVolumeStorageClass to one of the cluster's classes (kubectl get storageclass)" };
  }
  if (facts?.kind === "no-default") {
    return { code: "k8s_agent_volume_class_missing", level: "error", message: `${base}, but the cluster has no default StorageClass`, hint: "set agentVolumeStorageClass, or configure a shared workspaceVolumeClaim" };
  }
  const which = facts?.kind === "found" ? ` (StorageClass ${facts.name})` : "";
  return { code: "k8s_agent_volume_mode", level: "info", message: `${base}${which}${volumes}` };
}
