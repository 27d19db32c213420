import { type ConfigIssue, configError } from "../errors.ts";
import { parsePatternList } from "./patterns.ts";

/**
 * Agent config is not operator config: Paperclip lets an agent hire another agent and write
 * its adapterConfig, so a prompt-injected agent can write it. The keys below choose where or
 * as whom a pod runs, or what the server reads or loads; agent config may set them only to
 * what the operator allows in the Paperclip server's environment.
 */
export const GOVERNED_KEYS = {
  kubeconfig: {
    variable: "CLAUDE_K8S_ALLOW_KUBECONFIG",
    kind: "a kubeconfig path",
    defaultRule: "none: the server's own KUBECONFIG or in-cluster identity is used",
    example: "/etc/paperclip/kubeconfigs/*",
  },
  namespace: {
    variable: "CLAUDE_K8S_ALLOW_NAMESPACE",
    kind: "a namespace name",
    defaultRule: "only the Paperclip server's own namespace",
    example: "paperclip-agents,team-*",
  },
  image: {
    variable: "CLAUDE_K8S_ALLOW_IMAGE",
    kind: "an image reference",
    defaultRule: "any image (the pod's security context is the adapter's, whatever the image)",
    example: "ghcr.io/acme/paperclip-agent:*",
  },
  serviceAccountName: {
    variable: "CLAUDE_K8S_ALLOW_SERVICE_ACCOUNT",
    kind: "a ServiceAccount name",
    defaultRule: "any ServiceAccount without its token (see CLAUDE_K8S_ALLOW_TOKEN_AUTOMOUNT)",
    example: "paperclip-agent",
  },
  automountServiceAccountToken: {
    variable: "CLAUDE_K8S_ALLOW_TOKEN_AUTOMOUNT",
    kind: "a ServiceAccount whose token the pod would hold",
    defaultRule: "none: no agent pod holds a ServiceAccount token",
    example: "paperclip-agent",
  },
  inheritSecretVolumes: {
    variable: "CLAUDE_K8S_ALLOW_SECRET_VOLUMES",
    kind: "a Secret volume of the server pod",
    defaultRule: "none",
    example: "github-mcp-token",
  },
  priorityClassName: {
    variable: "CLAUDE_K8S_ALLOW_PRIORITY_CLASS",
    kind: "a PriorityClass name",
    defaultRule: "none: a priority class can preempt other workloads",
    example: "paperclip-agents",
  },
  tolerations: {
    variable: "CLAUDE_K8S_ALLOW_TOLERATION",
    kind: "a toleration key",
    defaultRule: "none from agent config (the server pod's own are inherited)",
    example: "pool",
  },
  nodeSelector: {
    variable: "CLAUDE_K8S_ALLOW_NODE_SELECTOR",
    kind: "a node selector key=value",
    defaultRule: "none from agent config (the server pod's own is inherited)",
    example: "pool=agents",
  },
  workspaceVolumeClaim: {
    variable: "CLAUDE_K8S_ALLOW_VOLUME_CLAIM",
    kind: "a PersistentVolumeClaim name",
    defaultRule: "only the claim the Paperclip server pod mounts",
    example: "paperclip-data",
  },
  agentVolumeStorageClass: {
    variable: "CLAUDE_K8S_ALLOW_STORAGE_CLASS",
    kind: "a StorageClass for the agent's own volume",
    defaultRule: "none: the cluster's default class (a static class could bind the claim to a volume that holds someone else's data)",
    example: "gp3",
  },
  serverMountPath: {
    variable: "CLAUDE_K8S_ALLOW_SERVER_MOUNT_PATH",
    kind: "a server path",
    defaultRule: "none: learned from the server pod",
    example: "/paperclip",
  },
  fsGroup: {
    variable: "CLAUDE_K8S_ALLOW_FS_GROUP",
    kind: "a group id",
    defaultRule: "none: the kubelet would change the group of every file on the volume",
    example: "1000",
  },
  inheritEnv: {
    variable: "CLAUDE_K8S_ALLOW_INHERIT_ENV",
    kind: "a server environment name or prefix",
    defaultRule: "none beyond the model's own variables and CLAUDE_K8S_INHERIT_ENV",
    example: "OTEL_*",
  },
  envSecrets: {
    variable: "CLAUDE_K8S_ALLOW_ENV_SECRETS",
    kind: "a Secret of the Job namespace to read env from",
    defaultRule: "none: the Job namespace holds every run's Secret, other agents' tokens among them",
    example: "anthropic-credentials",
  },
  instructionsFilePath: {
    variable: "CLAUDE_K8S_ALLOW_INSTRUCTIONS_DIR",
    kind: "a file path on the server",
    defaultRule: "only the run's workspace and Paperclip's managed instructions directory of the agent",
    example: "/srv/paperclip/instructions",
  },
} as const;

export type GovernedKey = keyof typeof GOVERNED_KEYS;

/** Operator-wide settings that are not allow lists of one key. */
export const POLICY_VARIABLES = {
  inheritEnv: "CLAUDE_K8S_INHERIT_ENV",
} as const;

export interface OperatorPolicy {
  /** Set entries replace the key's default rule (an empty list allows nothing). */
  readonly allow: Readonly<Partial<Record<GovernedKey, readonly string[]>>>;
  /** Names or `PREFIX_*` every agent pod inherits from the server pod, beyond the model's own. */
  readonly inheritEnv: readonly string[];
  /**
   * The config is the operator's own (the `claude-k8s` CLI run by whoever holds the
   * kubeconfig): nothing is governed. Never set for configs that come from Paperclip.
   */
  readonly trustsConfig: boolean;
}

/** The CLI's policy: the person running it wrote the config. */
export const operatorConfigPolicy: OperatorPolicy = { allow: {}, inheritEnv: [], trustsConfig: true };

/** The defaults, as a server with none of the variables set has them. */
export const defaultAgentPolicy: OperatorPolicy = { allow: {}, inheritEnv: [], trustsConfig: false };

/**
 * Reads the policy from the server's environment. An entry that cannot be a pattern is an
 * error naming the variable (never a silently ignored rule).
 */
export function parseOperatorPolicy(env: Readonly<Record<string, string | undefined>>): OperatorPolicy {
  const allow: Partial<Record<GovernedKey, readonly string[]>> = {};
  const issues: ConfigIssue[] = [];
  for (const [key, rule] of Object.entries(GOVERNED_KEYS) as [GovernedKey, (typeof GOVERNED_KEYS)[GovernedKey]][]) {
    const text = env[rule.variable];
    if (text === undefined) continue;
    const patterns = parsePatternList(text);
    const bad = patterns.findIndex((pattern) => /[\s\0]/.test(pattern));
    if (bad !== -1) {
      issues.push({ path: rule.variable, expected: "comma-separated names or patterns without spaces", received: `entry ${bad + 1}`, example: JSON.stringify(rule.example) });
      continue;
    }
    allow[key] = patterns;
  }
  const inheritText = env[POLICY_VARIABLES.inheritEnv];
  const inheritEnv = inheritText === undefined ? [] : parsePatternList(inheritText);
  inheritEnv.forEach((pattern, index) => {
    const name = pattern.endsWith("*") ? pattern.slice(0, -1) : pattern;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      issues.push({ path: POLICY_VARIABLES.inheritEnv, expected: "env names, or prefixes ending in *", received: `entry ${index + 1}`, example: '"OTEL_*,GIT_AUTHOR_NAME"' });
    }
  });
  if (issues.length > 0) {
    const error = configError(issues);
    error.message = `the operator policy in the Paperclip server's environment is invalid; fix these variables:\n${issues
      .map((issue) => `  - ${issue.path}: expected ${issue.expected} (for example ${issue.example}), check ${issue.received}`)
      .join("\n")}`;
    throw error;
  }
  return { allow, inheritEnv, trustsConfig: false };
}
