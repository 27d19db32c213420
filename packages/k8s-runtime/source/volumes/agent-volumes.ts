import { AnnotationKey, agentVolumeSelector, LabelKey } from "@claude-k8s/manifest";
import { KubeApiError } from "../kube/kube-api-error.ts";
import type { KubeClient } from "../kube/kube-client.ts";

export interface AgentVolumeItem {
  name: string;
  namespace: string;
  /** The raw agent id (annotation), else its label value. */
  agentId: string;
  phase: string;
  size: string;
  storageClass?: string;
  /** Pods that mount it now: a volume in use is never deleted. */
  usedBy: string[];
}

export interface AgentVolumeSweep {
  volumes: AgentVolumeItem[];
  deleted: string[];
  /** Volumes left alone because a pod mounts them, and failed deletes. */
  skipped: string[];
}

interface ClaimObject {
  metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { storageClassName?: string; resources?: { requests?: { storage?: string } } };
  status?: { phase?: string };
}
interface PodObject {
  metadata: { name: string };
  spec?: { volumes?: { persistentVolumeClaim?: { claimName?: string } }[] };
  status?: { phase?: string };
}

/**
 * The agents' own volumes in a namespace (by label), with the pods that mount them. Deleting
 * one deletes the agent's sessions and unpushed work: only with `delete`, and never one a pod
 * that has not finished still mounts.
 */
export async function sweepAgentVolumes(client: KubeClient, namespace: string, options: { delete: boolean }): Promise<AgentVolumeSweep> {
  const claims = await client.request<{ items: ClaimObject[] }>({
    method: "GET",
    path: `/api/v1/namespaces/${namespace}/persistentvolumeclaims`,
    query: { labelSelector: agentVolumeSelector() },
  });
  const pods = await client.request<{ items: PodObject[] }>({ method: "GET", path: `/api/v1/namespaces/${namespace}/pods` });
  const volumes = claims.items.map((claim): AgentVolumeItem => {
    const usedBy = pods.items
      .filter((pod) => pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed")
      .filter((pod) => (pod.spec?.volumes ?? []).some((volume) => volume.persistentVolumeClaim?.claimName === claim.metadata.name))
      .map((pod) => pod.metadata.name);
    return {
      name: claim.metadata.name,
      namespace,
      agentId: claim.metadata.annotations?.[AnnotationKey.agentId] ?? claim.metadata.labels?.[LabelKey.agentId] ?? "?",
      phase: claim.status?.phase ?? "Pending",
      size: claim.spec?.resources?.requests?.storage ?? "?",
      ...(claim.spec?.storageClassName ? { storageClass: claim.spec.storageClassName } : {}),
      usedBy,
    };
  });
  const deleted: string[] = [];
  const skipped: string[] = [];
  if (options.delete) {
    for (const volume of volumes) {
      if (volume.usedBy.length > 0) {
        skipped.push(`${namespace}/${volume.name}: mounted by pod ${volume.usedBy.join(", ")}`);
        continue;
      }
      try {
        await client.request({ method: "DELETE", path: `/api/v1/namespaces/${namespace}/persistentvolumeclaims/${volume.name}`, body: { propagationPolicy: "Background" } });
        deleted.push(volume.name);
      } catch (error) {
        if (error instanceof KubeApiError && error.isNotFound) deleted.push(volume.name);
        else skipped.push(`${namespace}/${volume.name}: ${(error as Error).message}`);
      }
    }
  }
  return { volumes, deleted, skipped };
}
