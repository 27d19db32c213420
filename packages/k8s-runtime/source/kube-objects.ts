// The parts of Pod and Job objects the decisions read. Structural, so the pure functions
// accept both client-node's typed objects (dates as Date) and raw watch JSON (dates as
// strings), and tests can write objects literally.

export type Timestamp = Date | string;

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: Timestamp;
  deletionTimestamp?: Timestamp;
  ownerReferences?: { apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean }[];
  resourceVersion?: string;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: Timestamp;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: Timestamp };
  terminated?: {
    exitCode: number;
    signal?: number;
    reason?: string;
    message?: string;
    startedAt?: Timestamp;
    finishedAt?: Timestamp;
  };
}

export interface ContainerStatus {
  name: string;
  state?: ContainerState;
  lastState?: ContainerState;
  ready?: boolean;
  restartCount?: number;
}

export interface PodLike {
  metadata?: ObjectMeta;
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: Condition[];
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
    startTime?: Timestamp;
  };
}

export interface JobLike {
  metadata?: ObjectMeta;
  spec?: { activeDeadlineSeconds?: number; ttlSecondsAfterFinished?: number };
  status?: {
    active?: number;
    succeeded?: number;
    failed?: number;
    conditions?: Condition[];
    startTime?: Timestamp;
    completionTime?: Timestamp;
  };
}

export function toMillis(timestamp: Timestamp | undefined): number | undefined {
  if (timestamp === undefined) return undefined;
  const millis = timestamp instanceof Date ? timestamp.getTime() : Date.parse(timestamp);
  return Number.isNaN(millis) ? undefined : millis;
}

export function findCondition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((condition) => condition.type === type);
}
