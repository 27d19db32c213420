import type { ImagePullPolicy, ResourceRequirements } from "./config/types.ts";
import type { PodEnvVar } from "./env/env-layering.ts";
import type { PodDnsConfig, PodToleration } from "./run-context.ts";
import type { containerSecurityContext, podSecurityContext } from "./security-context.ts";

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

export type Volume =
  | {
      name: string;
      secret: {
        secretName: string;
        items?: { key: string; path: string; mode?: number }[];
        defaultMode?: number;
        optional?: boolean;
      };
    }
  | { name: string; persistentVolumeClaim: { claimName: string; readOnly?: boolean } }
  | { name: string; emptyDir: Record<string, never> };

export interface ContainerSpec {
  name: string;
  image: string;
  imagePullPolicy: ImagePullPolicy;
  command: string[];
  args: string[];
  workingDir: string;
  env: PodEnvVar[];
  /** Whole Secrets as env (`envFromSecrets`); their values never pass through the adapter. */
  envFrom?: { secretRef: { name: string } }[];
  resources: ResourceRequirements;
  volumeMounts: VolumeMount[];
  securityContext: ReturnType<typeof containerSecurityContext>;
  terminationMessagePath: string;
  terminationMessagePolicy: "FallbackToLogsOnError";
}

export interface PodSpec {
  restartPolicy: "Never";
  serviceAccountName?: string;
  priorityClassName?: string;
  automountServiceAccountToken: boolean;
  enableServiceLinks: false;
  imagePullSecrets?: { name: string }[];
  dnsConfig?: PodDnsConfig;
  nodeSelector?: Record<string, string>;
  tolerations?: PodToleration[];
  securityContext: ReturnType<typeof podSecurityContext>;
  /** Agent-volume mode with a project repository: the checkout (see agent-volume/git-checkout.ts). */
  initContainers?: ContainerSpec[];
  containers: [ContainerSpec];
  volumes: Volume[];
}

export interface JobManifest {
  apiVersion: "batch/v1";
  kind: "Job";
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: {
    backoffLimit: 0;
    activeDeadlineSeconds?: number;
    ttlSecondsAfterFinished: number;
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: PodSpec;
    };
  };
}

export interface JobInput {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Extra annotations for the pod only (the adapter's own win on a clash). */
  podAnnotations: Record<string, string>;
  timeoutSec: number;
  /** activeDeadlineSeconds when timeoutSec is 0 (a backstop); 0 = none. */
  jobDeadlineSec?: number;
  ttlSecondsAfterFinished: number;
  pod: PodSpec;
}

/**
 * One attempt, never retried by Kubernetes (backoffLimit 0, restartPolicy Never): a second
 * claude run on the same session and workspace would redo or corrupt the first one's work,
 * so retries are Paperclip's decision. activeDeadlineSeconds enforces timeoutSec in-cluster;
 * without a timeout, jobDeadlineSec still bounds the Job.
 */
export function buildJob(input: JobInput): JobManifest {
  const deadline = input.timeoutSec > 0 ? input.timeoutSec : (input.jobDeadlineSec ?? 0);
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: input.name, namespace: input.namespace, labels: input.labels, annotations: input.annotations },
    spec: {
      backoffLimit: 0,
      ...(deadline > 0 ? { activeDeadlineSeconds: deadline } : {}),
      ttlSecondsAfterFinished: input.ttlSecondsAfterFinished,
      template: {
        metadata: { labels: input.labels, annotations: { ...input.podAnnotations, ...input.annotations } },
        spec: input.pod,
      },
    },
  };
}
