import { ManifestError, ManifestErrorCode } from "../errors.ts";
import { shortHash } from "../hash.ts";
import { ADAPTER_TYPE, AnnotationKey, LabelKey } from "../labels.ts";
import { slug, toLabelValue } from "../names.ts";

/**
 * An agent's own volume, for clusters without a ReadWriteMany claim shared with the server:
 * one ReadWriteOnce PersistentVolumeClaim per agent, in the Job namespace, holding its HOME
 * (sessions resume from run to run), its fallback workspace and its project checkouts.
 *
 * It has no ownerReference on purpose: it must outlive every Job of the agent, and a
 * garbage-collected owner would delete the agent's sessions and unpushed work. It is found by
 * its labels instead (`claude-k8s sweep --volumes`, `doctor`), and deleting it is an explicit
 * operator action.
 */
export const AGENT_VOLUME_NAME_PREFIX = "ck8s-agent";
/** `app.kubernetes.io/component` of agent volumes (Jobs carry `agent-job`). */
export const AGENT_VOLUME_COMPONENT = "agent-volume";
export const DEFAULT_AGENT_VOLUME_SIZE = "10Gi";

export interface PersistentVolumeClaimManifest {
  apiVersion: "v1";
  kind: "PersistentVolumeClaim";
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: {
    accessModes: ["ReadWriteOnce"];
    storageClassName?: string;
    resources: { requests: { storage: string } };
  };
}

/**
 * `ck8s-agent-<agent slug>-<hash>`: readable in kubectl, distinct for distinct agent ids (the
 * hash is of the raw id), at most 53 characters, a DNS-1123 subdomain.
 */
export function agentVolumeClaimName(agentId: string): string {
  return [AGENT_VOLUME_NAME_PREFIX, slug(agentId, 24), shortHash([agentId], 16)].filter((part) => part !== "").join("-");
}

/** Whether a claim name has the shape of an agent volume (of any agent). */
export function looksLikeAgentVolumeName(name: string): boolean {
  return name.startsWith(`${AGENT_VOLUME_NAME_PREFIX}-`);
}

/** The labels that select every agent volume of this adapter (what sweep and doctor list). */
export function agentVolumeSelector(): string {
  return `${LabelKey.component}=${AGENT_VOLUME_COMPONENT},${LabelKey.adapterType}=${ADAPTER_TYPE}`;
}

export interface AgentVolumeClaimInput {
  agentId: string;
  companyId: string;
  namespace: string;
  /** Unset: the cluster's default StorageClass. */
  storageClass?: string;
  size: string;
  agentName?: string;
}

export function buildAgentVolumeClaim(input: AgentVolumeClaimInput): PersistentVolumeClaimManifest {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: {
      name: agentVolumeClaimName(input.agentId),
      namespace: input.namespace,
      labels: {
        [LabelKey.managedBy]: "paperclip",
        [LabelKey.component]: AGENT_VOLUME_COMPONENT,
        [LabelKey.adapterType]: ADAPTER_TYPE,
        [LabelKey.agentId]: toLabelValue(input.agentId),
        [LabelKey.companyId]: toLabelValue(input.companyId),
      },
      annotations: {
        [AnnotationKey.adapterType]: ADAPTER_TYPE,
        // The raw id: the runtime checks it before mounting a claim that already exists.
        [AnnotationKey.agentId]: input.agentId,
        ...(input.agentName ? { [AnnotationKey.agentName]: input.agentName.slice(0, 253) } : {}),
      },
    },
    spec: {
      accessModes: ["ReadWriteOnce"],
      ...(input.storageClass === undefined ? {} : { storageClassName: input.storageClass }),
      resources: { requests: { storage: input.size } },
    },
  };
}

/**
 * Why an existing claim of that name must not be mounted for `agentId`, or undefined when it
 * is this agent's volume. A claim someone else made under the deterministic name (another
 * agent through a name collision, or a hostile hand) is never adopted.
 */
export function foreignAgentVolume(
  claim: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } },
  agentId: string,
): string | undefined {
  const labels = claim.metadata?.labels ?? {};
  const annotations = claim.metadata?.annotations ?? {};
  if (labels[LabelKey.component] !== AGENT_VOLUME_COMPONENT || labels[LabelKey.adapterType] !== ADAPTER_TYPE) {
    return "it is not an agent volume of this adapter (labels differ)";
  }
  if (annotations[AnnotationKey.agentId] !== agentId || labels[LabelKey.agentId] !== toLabelValue(agentId)) {
    return "it belongs to another agent";
  }
  return undefined;
}

/**
 * A shared claim is mounted by every agent that names it. An agent volume named as one would
 * show its agent's HOME and work to whoever wrote the name (agent config is writable by a
 * prompt-injected agent), so such a name is refused whatever the operator's policy allows.
 */
export function checkSharedClaimName(claim: string | undefined): void {
  if (claim === undefined || !looksLikeAgentVolumeName(claim)) return;
  throw new ManifestError(
    ManifestErrorCode.mountForbidden,
    `workspaceVolumeClaim ${claim} names an agent's own volume (${AGENT_VOLUME_NAME_PREFIX}-*), which only its agent's pods mount; ` +
      "unset workspaceVolumeClaim to use the agent's own volume, or name the ReadWriteMany claim shared with the Paperclip server.",
  );
}
