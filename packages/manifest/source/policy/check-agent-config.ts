import type { AdapterConfig } from "../config/types.ts";
import { ManifestError, ManifestErrorCode } from "../errors.ts";
import { GOVERNED_KEYS, type GovernedKey, type OperatorPolicy } from "./operator-policy.ts";
import { JOB_NAME_PREFIX } from "../names.ts";
import { matchesAny } from "./patterns.ts";

/** The per-run Secrets the adapter makes (`<job>-run`, jobs named `ac-...`). */
function isPerRunSecretName(name: string): boolean {
  return name.startsWith(`${JOB_NAME_PREFIX}-`) && name.endsWith("-run");
}

/** What the server knows about itself: the defaults some keys may always repeat. */
export interface PolicyFacts {
  /** The Paperclip server pod's namespace, when it runs in one. */
  serverNamespace?: string;
  /** The claim behind the server pod's data mount. */
  serverClaim?: string;
}

/** One key of agent config the policy refuses. Holds no value: only what kind of value it was. */
export interface PolicyViolation {
  key: GovernedKey;
  /** The config path, e.g. `tolerations[1]` (a position, never a value). */
  path: string;
}

/**
 * The keys of `config` (as Paperclip handed it over) that the operator's policy does not
 * allow. Pure; values never leave this function.
 */
export function findPolicyViolations(config: AdapterConfig, policy: OperatorPolicy, facts: PolicyFacts): PolicyViolation[] {
  if (policy.trustsConfig) return [];
  const violations: PolicyViolation[] = [];
  const allowed = (key: GovernedKey, value: string, byDefault: (value: string) => boolean) => {
    const patterns = policy.allow[key];
    return patterns === undefined ? byDefault(value) : matchesAny(patterns, value);
  };
  const check = (key: GovernedKey, path: string, value: string | undefined, byDefault: (value: string) => boolean) => {
    if (value !== undefined && !allowed(key, value, byDefault)) violations.push({ key, path });
  };
  const nothing = () => false;
  const anything = () => true;

  check("kubeconfig", "kubeconfig", config.kubeconfig, nothing);
  check("namespace", "namespace", config.namespace, (value) => value === facts.serverNamespace);
  check("image", "image", config.image, anything);
  check("serviceAccountName", "serviceAccountName", config.serviceAccountName, anything);
  if (config.automountServiceAccountToken) {
    check("automountServiceAccountToken", "automountServiceAccountToken", config.serviceAccountName ?? "default", nothing);
  }
  for (const [index, name] of config.inheritSecretVolumes.entries()) check("inheritSecretVolumes", `inheritSecretVolumes[${index}]`, name, nothing);
  check("priorityClassName", "priorityClassName", config.priorityClassName, nothing);
  // A toleration without a key (operator Exists) tolerates every taint: only `*` allows it.
  for (const [index, toleration] of (config.tolerations ?? []).entries()) check("tolerations", `tolerations[${index}]`, toleration.key ?? "*", nothing);
  for (const [key, value] of Object.entries(config.nodeSelector ?? {})) {
    check("nodeSelector", "nodeSelector", `${key}=${value}`, nothing);
  }
  check("workspaceVolumeClaim", "workspaceVolumeClaim", config.workspaceVolumeClaim, (value) => value === facts.serverClaim);
  check("agentVolumeStorageClass", "agentVolumeStorageClass", config.agentVolumeStorageClass, nothing);
  check("serverMountPath", "serverMountPath", config.serverMountPath, nothing);
  check("fsGroup", "fsGroup", config.fsGroup === undefined ? undefined : String(config.fsGroup), nothing);
  for (const [index, pattern] of config.inheritEnv.entries()) check("inheritEnv", `inheritEnv[${index}]`, pattern, nothing);
  // A run's own Secret holds its agent's token: no policy entry, not even `*`, reaches another's.
  const envSecret = (path: string, name: string) => {
    if (isPerRunSecretName(name)) violations.push({ key: "envSecrets", path });
    else check("envSecrets", path, name, nothing);
  };
  for (const [index, name] of config.envFromSecrets.entries()) envSecret(`envFromSecrets[${index}]`, name);
  for (const [variable, ref] of Object.entries(config.envSecretKeyRefs)) envSecret(`envSecretKeyRefs.${variable}`, ref.name);
  // The checkout reads it: a Secret of the Job namespace like any other.
  if (config.gitCredentialsSecret !== undefined) envSecret("gitCredentialsSecret", config.gitCredentialsSecret);
  return dedupe(violations);
}

function dedupe(violations: PolicyViolation[]): PolicyViolation[] {
  const seen = new Set<string>();
  return violations.filter((violation) => {
    if (seen.has(violation.path)) return false;
    seen.add(violation.path);
    return true;
  });
}

/** The run's error: each key, the kind of value refused (never the value), the variable to change. */
export function policyError(violations: readonly PolicyViolation[]): ManifestError {
  const lines = violations.map((violation) => {
    const rule = GOVERNED_KEYS[violation.key];
    return (
      `  - ${violation.path}: ${rule.kind} that the operator's policy does not allow (default: ${rule.defaultRule}); ` +
      `an operator can allow it with ${rule.variable} in the Paperclip server's environment (comma-separated, * as a wildcard, e.g. ${rule.variable}=${rule.example})`
    );
  });
  const noun = violations.length === 1 ? "key" : "keys";
  return new ManifestError(
    ManifestErrorCode.configForbidden,
    `claude_k8s agent config sets ${violations.length} ${noun} that only the operator may choose:\n${lines.join("\n")}`,
  );
}

/** Throws `k8s_config_forbidden` when agent config breaks the operator's policy. */
export function enforceAgentPolicy(config: AdapterConfig, policy: OperatorPolicy, facts: PolicyFacts): void {
  const violations = findPolicyViolations(config, policy, facts);
  if (violations.length > 0) throw policyError(violations);
}
