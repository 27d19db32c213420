import type { ConfigIssue, ManifestError } from "../errors.ts";

/** Kubernetes toleration, as the pod spec takes it. */
export interface Toleration {
  key?: string;
  operator?: "Exists" | "Equal";
  value?: string;
  effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
  tolerationSeconds?: number;
}

export interface ResourceList {
  cpu?: string;
  memory?: string;
  "ephemeral-storage"?: string;
}

export interface ResourceRequirements {
  requests: ResourceList;
  limits: ResourceList;
}

export type ImagePullPolicy = "Always" | "IfNotPresent" | "Never";

/**
 * The validated claude_k8s adapter config. Every key of the public adapter keeps its name,
 * meaning and default; keys marked "new" are ours. See the README for the full table.
 */
export interface AdapterConfig {
  // Claude invocation
  /** `--model`; unset lets the CLI choose. */
  model?: string;
  /** `--effort`. */
  effort?: string;
  /** `--max-turns N` when > 0. Default 0 (no limit). */
  maxTurnsPerRun: number;
  /** `--dangerously-skip-permissions`. Default true: nobody answers prompts in a Job. */
  dangerouslySkipPermissions: boolean;
  /** Agent instructions file, a path on the Paperclip server (translated for the pod). */
  instructionsFilePath?: string;
  /** Appended verbatim to claude's arguments. */
  extraArgs: string[];
  /** Highest-precedence environment layer. */
  env: Record<string, string>;
  /** New: Secrets in the Job namespace whose every key becomes an env variable (`envFrom`). */
  envFromSecrets: string[];
  /** New: env variables taken from one key of a Secret in the Job namespace (`secretKeyRef`). */
  envSecretKeyRefs: Record<string, { name: string; key: string }>;
  /** Heartbeat prompt template (`{{agent.id}}` style placeholders). */
  promptTemplate: string;
  /** Prepended on fresh sessions only. Default "". */
  bootstrapPromptTemplate: string;
  /** Fallback working directory (server path) when the run has no workspace cwd. */
  cwd?: string;
  /** MCP servers by name; shipped as `--mcp-config <file> --strict-mcp-config`. */
  mcpServers?: Record<string, Record<string, unknown>>;
  /** Trim large tool outputs before the model sees them (PostToolUse hook, per run). */
  enableRtk: boolean;
  /** Byte budget per tool output when enableRtk is on. Default 50000. */
  rtkMaxOutputBytes: number;

  // Kubernetes placement
  /** Job namespace. Default: the Paperclip pod's namespace. */
  namespace?: string;
  /** Container image. Default: the Paperclip pod's main-container image. */
  image?: string;
  imagePullPolicy: ImagePullPolicy;
  /** New: image pull Secret names. Default: the Paperclip pod's. */
  imagePullSecrets?: string[];
  /** Kubeconfig path for the runtime; unset means in-cluster. Not used in the manifest. */
  kubeconfig?: string;
  serviceAccountName?: string;
  /** New: mount a ServiceAccount token into the agent pod. Default false. */
  automountServiceAccountToken: boolean;
  resources: ResourceRequirements;
  /** Default: the Paperclip pod's nodeSelector; `{}` opts out. */
  nodeSelector?: Record<string, string>;
  /** Default: the Paperclip pod's tolerations; `[]` opts out. */
  tolerations?: Toleration[];
  /** Extra labels on the Job and pod (reserved prefixes are dropped). */
  labels: Record<string, string>;
  /** New: extra annotations on the pod (e.g. `sidecar.istio.io/inject: "false"`: a mesh sidecar keeps a Job from finishing). */
  podAnnotations: Record<string, string>;
  /** New: the pod's PriorityClass. */
  priorityClassName?: string;
  /** New: pod uid. Default 1000. */
  runAsUser: number;
  /** New: pod gid. Default 1000. */
  runAsGroup: number;
  /** New: pod fsGroup. Default unset (a recursive chown of a large volume on every start is unaffordable). */
  fsGroup?: number;

  // Storage and inheritance
  /** The shared (RWX) volume's claim. Default: the claim behind the Paperclip pod's data mount. */
  workspaceVolumeClaim?: string;
  /** Where the shared volume is mounted in the agent pod. Default /paperclip. */
  workspaceMountPath: string;
  /** New: without a shared claim, the StorageClass of each agent's own ReadWriteOnce volume. Default: the cluster's default class. */
  agentVolumeStorageClass?: string;
  /** New: without a shared claim, the size requested for each agent's own volume. Default 10Gi. */
  agentVolumeSize: string;
  /** New: Secret of the Job namespace (keys `username`, `password`) for cloning project repositories into the agent's volume. */
  gitCredentialsSecret?: string;
  /** New: where the same volume is mounted on the Paperclip server. Default: as learned from the server pod, else workspaceMountPath. */
  serverMountPath?: string;
  /** New: more env names (or `PREFIX_*`) the agent pod may inherit from the server pod. */
  inheritEnv: string[];
  /** New: names of Secret volumes of the server pod that agent pods get too. Default none. */
  inheritSecretVolumes: string[];

  // Lifecycle and timing
  /** Job TTL after it finishes. Default 300. */
  ttlSecondsAfterFinished: number;
  /** Keep Jobs after the run. Default false. */
  retainJobs: boolean;
  /** Adopt a still-running Job of the same agent/task/session. Default true. */
  reattachOrphanedJobs: boolean;
  /** activeDeadlineSeconds and the adapter's own wait; 0 = no timeout (the Job still gets jobDeadlineSec). */
  timeoutSec: number;
  /** New: the Job's activeDeadlineSeconds when timeoutSec is 0. Default 21600 (6 h); 0 = none. */
  jobDeadlineSec: number;
  /** Extra wait beyond the Job deadline. Default 60. */
  graceSec: number;
  /** How long a pod may stay unscheduled. Default 120. */
  podScheduleTimeoutSec: number;
  /** How long containers may take to start once scheduled. Default 600. */
  podStartTimeoutSec: number;
  /** Secret that testEnvironment checks for. Default "paperclip-secrets". */
  secretRef: string;
}

export type ParseAdapterConfigResult =
  | { ok: true; config: AdapterConfig; warnings: string[] }
  | { ok: false; issues: ConfigIssue[]; warnings: string[]; error: ManifestError };
