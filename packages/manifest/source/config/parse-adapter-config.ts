import { type ConfigIssue, configError, ManifestError } from "../errors.ts";
import { parseClaudeKeys } from "./parse-claude-keys.ts";
import { parseEnv, parseEnvFromSecrets, parseEnvSecretKeyRefs } from "./parse-env-keys.ts";
import { parseLifecycleKeys } from "./parse-lifecycle-keys.ts";
import { parsePlacementKeys } from "./parse-placement-keys.ts";
import { parseResources } from "./parse-resources.ts";
import { parseSecurityKeys } from "./parse-security-keys.ts";
import { parseStorageKeys } from "./parse-storage-keys.ts";
import { IssueList, isPlainObject } from "./read-values.ts";
import type { AdapterConfig, ParseAdapterConfigResult } from "./types.ts";

/** Every key this package reads, plus the keys Paperclip adds to every adapter config. */
export const KNOWN_CONFIG_KEYS: ReadonlySet<string> = new Set([
  // Claude invocation
  "model",
  "effort",
  "maxTurnsPerRun",
  "dangerouslySkipPermissions",
  "instructionsFilePath",
  "extraArgs",
  "env",
  "envFromSecrets",
  "envSecretKeyRefs",
  "promptTemplate",
  "bootstrapPromptTemplate",
  "cwd",
  "mcpServers",
  "enableRtk",
  "rtkMaxOutputBytes",
  // placement
  "namespace",
  "image",
  "imagePullPolicy",
  "imagePullSecrets",
  "kubeconfig",
  "serviceAccountName",
  "automountServiceAccountToken",
  "resources",
  "resources.requests.cpu",
  "resources.requests.memory",
  "resources.requests.ephemeral-storage",
  "resources.limits.cpu",
  "resources.limits.memory",
  "resources.limits.ephemeral-storage",
  "nodeSelector",
  "tolerations",
  "labels",
  "podAnnotations",
  "priorityClassName",
  "runAsUser",
  "runAsGroup",
  "fsGroup",
  // storage and inheritance
  "workspaceVolumeClaim",
  "workspaceMountPath",
  "serverMountPath",
  "agentVolumeStorageClass",
  "agentVolumeSize",
  "gitCredentialsSecret",
  "inheritEnv",
  "inheritSecretVolumes",
  // lifecycle
  "ttlSecondsAfterFinished",
  "retainJobs",
  "reattachOrphanedJobs",
  "timeoutSec",
  "jobDeadlineSec",
  "graceSec",
  "podScheduleTimeoutSec",
  "podStartTimeoutSec",
  "secretRef",
  // added by the Paperclip server to every resolved config
  "paperclipRuntimeSkills",
  "paperclipSkillSync",
]);

/**
 * Keys the Paperclip server adds to every resolved config (`paperclipRuntimeSkills`,
 * `paperclipConnectorSkillDigest`, ...). New ones come with server versions; warning about
 * them would put the same line in every run's log.
 */
function isServerAddedKey(key: string): boolean {
  return /^paperclip[A-Z]/.test(key);
}

/**
 * Validates a raw adapterConfig (as stored by Paperclip, or as a UI form sends it) into the
 * typed config. Collects every problem instead of stopping at the first. Unknown keys are
 * warnings: Paperclip and other tools add keys of their own.
 */
export function parseAdapterConfig(raw: unknown): ParseAdapterConfigResult {
  const issues = new IssueList();
  const source: Record<string, unknown> = raw === undefined || raw === null ? {} : isPlainObject(raw) ? raw : {};
  if (raw !== undefined && raw !== null && !isPlainObject(raw)) {
    issues.add("(config)", "an object of adapter settings", raw, '{"model": "claude-sonnet-4-6"}');
  }
  // Paperclip's fallback `process` adapter runs `config.command` on the server host when a
  // plugin fails to load: a config that carries one is a loaded gun, so it is refused.
  if ("command" in source) {
    issues.add(
      "command",
      "no `command` key (if this adapter failed to load, Paperclip's fallback adapter would run it on the server host); remove it",
      source.command,
    );
  }
  for (const key of Object.keys(source)) {
    if (KNOWN_CONFIG_KEYS.has(key) || key === "command" || isServerAddedKey(key)) continue;
    issues.warn(`unknown config key ${JSON.stringify(key)} is ignored`);
  }

  const config: AdapterConfig = {
    ...parseClaudeKeys(source, issues),
    env: parseEnv(source.env, issues),
    envFromSecrets: parseEnvFromSecrets(source.envFromSecrets, issues),
    envSecretKeyRefs: parseEnvSecretKeyRefs(source.envSecretKeyRefs, issues),
    ...parsePlacementKeys(source, issues),
    resources: parseResources(source, issues),
    ...parseSecurityKeys(source, issues),
    ...parseStorageKeys(source, issues),
    ...parseLifecycleKeys(source, issues),
  };

  for (const name of Object.keys(config.envSecretKeyRefs)) {
    if (name in config.env) {
      issues.issues.push({ path: `envSecretKeyRefs.${name}`, expected: "a variable not also set in env (one source per variable)", received: "the same name in env", example: `remove env.${name}` });
    }
  }
  if (issues.issues.length > 0) {
    const list: ConfigIssue[] = [...issues.issues];
    return { ok: false, issues: list, warnings: issues.warnings, error: configError(list) };
  }
  return { ok: true, config, warnings: issues.warnings };
}

/** parseAdapterConfig for callers that want an exception: throws ManifestError `k8s_config_invalid`. */
export function requireAdapterConfig(raw: unknown): { config: AdapterConfig; warnings: string[] } {
  const result = parseAdapterConfig(raw);
  if (!result.ok) throw result.error;
  return { config: result.config, warnings: result.warnings };
}

export function isManifestError(error: unknown): error is ManifestError {
  return error instanceof ManifestError;
}
