import { toLabelValue } from "./names.ts";

export const ADAPTER_TYPE = "claude_k8s";

/** Label keys the adapter sets; the runtime selects its Jobs and Secrets by these. */
export const LabelKey = {
  managedBy: "app.kubernetes.io/managed-by",
  component: "app.kubernetes.io/component",
  adapterType: "paperclip.io/adapter-type",
  agentId: "paperclip.io/agent-id",
  runId: "paperclip.io/run-id",
  companyId: "paperclip.io/company-id",
  taskId: "paperclip.io/task-id",
  sessionId: "paperclip.io/session-id",
  /** Which Paperclip instance made it: instances sharing a namespace never touch each other's objects. */
  instance: "paperclip.io/instance",
} as const;

/** The instance id when none is given (Paperclip's own default instance name). */
export const DEFAULT_INSTANCE_ID = "default";

/** Annotations carry the raw ids (labels may hold a hashed form) and the agent's name. */
export const AnnotationKey = {
  adapterType: "paperclip.io/adapter-type",
  agentName: "paperclip.io/agent-name",
  agentId: "paperclip.io/agent-id",
  runId: "paperclip.io/run-id",
  taskId: "paperclip.io/task-id",
  sessionId: "paperclip.io/session-id",
} as const;

/** User labels under these prefixes are dropped: they would let a config impersonate another run. */
export const RESERVED_LABEL_PREFIXES = ["paperclip.io/", "app.kubernetes.io/"] as const;

export interface RunIdentity {
  agentId: string;
  runId: string;
  companyId: string;
  taskId?: string;
  sessionId?: string;
  /** The Paperclip instance (see DEFAULT_INSTANCE_ID). */
  instanceId?: string;
}

export function runLabels(identity: RunIdentity, userLabels: Record<string, string> = {}): Record<string, string> {
  return {
    ...userLabels,
    [LabelKey.managedBy]: "paperclip",
    [LabelKey.component]: "agent-job",
    [LabelKey.adapterType]: ADAPTER_TYPE,
    [LabelKey.instance]: toLabelValue(identity.instanceId ?? DEFAULT_INSTANCE_ID),
    [LabelKey.agentId]: toLabelValue(identity.agentId),
    [LabelKey.runId]: toLabelValue(identity.runId),
    [LabelKey.companyId]: toLabelValue(identity.companyId),
    ...(identity.taskId ? { [LabelKey.taskId]: toLabelValue(identity.taskId) } : {}),
    ...(identity.sessionId ? { [LabelKey.sessionId]: toLabelValue(identity.sessionId) } : {}),
  };
}

export function runAnnotations(identity: RunIdentity, agentName: string | undefined): Record<string, string> {
  return {
    [AnnotationKey.adapterType]: ADAPTER_TYPE,
    [AnnotationKey.agentId]: identity.agentId,
    [AnnotationKey.runId]: identity.runId,
    ...(agentName ? { [AnnotationKey.agentName]: agentName } : {}),
    ...(identity.taskId ? { [AnnotationKey.taskId]: identity.taskId } : {}),
    ...(identity.sessionId ? { [AnnotationKey.sessionId]: identity.sessionId } : {}),
  };
}

/** Label selector for every Job of one agent made by this adapter for one instance (for the runtime's guard). */
export function agentJobSelector(agentId: string, instanceId: string = DEFAULT_INSTANCE_ID): string {
  return `${LabelKey.adapterType}=${ADAPTER_TYPE},${LabelKey.instance}=${toLabelValue(instanceId)},${LabelKey.agentId}=${toLabelValue(agentId)}`;
}

/** Label selector for every Job, pod and Secret this adapter made for one instance. */
export function managedSelector(instanceId: string = DEFAULT_INSTANCE_ID): string {
  return `${LabelKey.managedBy}=paperclip,${LabelKey.adapterType}=${ADAPTER_TYPE},${LabelKey.instance}=${toLabelValue(instanceId)}`;
}
