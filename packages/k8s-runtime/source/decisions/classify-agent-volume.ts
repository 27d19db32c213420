/**
 * What an agent's own volume claim means for the run about to start: mount it, wait for it to
 * bind, or fail now with the cause and the fix. Pure: the runtime feeds it the claim as the
 * watch sees it and what it could learn about the storage class.
 */

/** The one code of a run whose agent volume never became usable (the message names why). */
export const AGENT_VOLUME_PENDING = "k8s_volume_pending";

export interface ClaimLike {
  metadata?: { name?: string; namespace?: string };
  spec?: { storageClassName?: string; volumeName?: string };
  status?: { phase?: string };
}

/** What the runtime learned about the claim's storage class; `unknown` when it may not read StorageClasses. */
export type StorageClassFacts =
  | { kind: "unknown" }
  /** The claim names a class that does not exist. */
  | { kind: "missing"; name: string }
  /** The claim names no class and the cluster has no default one. */
  | { kind: "no-default" }
  | { kind: "found"; name: string; provisioner?: string; bindingMode?: string };

export type AgentVolumeVerdict = { kind: "ready"; reason: string } | { kind: "wait" } | { kind: "failed"; code: typeof AGENT_VOLUME_PENDING; message: string };

export interface ClassifyAgentVolumeInput {
  claim: ClaimLike;
  storageClass: StorageClassFacts;
  waitedMs: number;
  budgetMs: number;
}

export function classifyAgentVolume(input: ClassifyAgentVolumeInput): AgentVolumeVerdict {
  const { claim, storageClass } = input;
  const name = `${claim.metadata?.namespace ?? "?"}/${claim.metadata?.name ?? "?"}`;
  const phase = claim.status?.phase ?? "Pending";
  if (phase === "Bound") return { kind: "ready", reason: "bound" };
  if (phase === "Lost") {
    return failed(`the agent's volume claim ${name} is Lost (its PersistentVolume ${claim.spec?.volumeName ?? "?"} is gone); delete the claim (claude-k8s sweep --volumes) to start the agent on a new, empty volume`);
  }
  if (storageClass.kind === "missing") {
    return failed(`the agent's volume claim ${name} asks for StorageClass ${storageClass.name}, which does not exist; set agentVolumeStorageClass to one of the cluster's classes (kubectl get storageclass), then delete the claim so it is made again`);
  }
  if (storageClass.kind === "no-default") {
    return failed(`the agent's volume claim ${name} names no StorageClass and the cluster has no default one; set agentVolumeStorageClass to one of the cluster's classes (kubectl get storageclass), or configure workspaceVolumeClaim`);
  }
  // Such a class binds when the pod is scheduled: the pod's schedule budget covers it.
  if (storageClass.kind === "found" && storageClass.bindingMode === "WaitForFirstConsumer") return { kind: "ready", reason: "binds when the pod is scheduled" };
  if (input.waitedMs < input.budgetMs) return { kind: "wait" };
  const by = storageClass.kind === "found" ? ` (StorageClass ${storageClass.name}, provisioner ${storageClass.provisioner ?? "?"})` : "";
  return failed(
    `the agent's volume claim ${name} is still Pending after ${Math.round(input.waitedMs / 1000)} s${by}: nothing provisioned a volume for it; ` +
      "check the provisioner (kubectl describe pvc), choose another agentVolumeStorageClass, or raise podScheduleTimeoutSec",
  );
}

function failed(message: string): AgentVolumeVerdict {
  return { kind: "failed", code: AGENT_VOLUME_PENDING, message };
}

/** The StorageClass a claim gets: its own, else the cluster default (the annotation Kubernetes reads). */
export function storageClassFacts(
  claimClass: string | undefined,
  classes: readonly { metadata?: { name?: string; annotations?: Record<string, string> }; provisioner?: string; volumeBindingMode?: string }[],
): StorageClassFacts {
  const found = (storageClass: (typeof classes)[number]): StorageClassFacts => ({
    kind: "found",
    name: storageClass.metadata?.name ?? "?",
    ...(storageClass.provisioner ? { provisioner: storageClass.provisioner } : {}),
    ...(storageClass.volumeBindingMode ? { bindingMode: storageClass.volumeBindingMode } : {}),
  });
  if (claimClass !== undefined && claimClass !== "") {
    const named = classes.find((storageClass) => storageClass.metadata?.name === claimClass);
    return named === undefined ? { kind: "missing", name: claimClass } : found(named);
  }
  const isDefault = (storageClass: (typeof classes)[number]) =>
    storageClass.metadata?.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true" ||
    storageClass.metadata?.annotations?.["storageclass.beta.kubernetes.io/is-default-class"] === "true";
  const fallback = classes.find(isDefault);
  return fallback === undefined ? { kind: "no-default" } : found(fallback);
}
