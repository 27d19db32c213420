import { matchesAny } from "../policy/patterns.ts";

/**
 * Which of the server container's environment variables an agent pod may inherit. The
 * public adapter copied all of them, so every agent pod held the server's JWT signing key and
 * DATABASE_URL; prompt injection turned that into a full compromise. Here: deny first (by
 * pattern, and nothing widens past it), then the model's own variables by exact name, then
 * only what the operator opts in to (CLAUDE_K8S_INHERIT_ENV) or allows agent config to ask
 * for (CLAUDE_K8S_ALLOW_INHERIT_ENV, checked by the policy before this runs).
 */

/**
 * Paperclip's own secrets and the credentials of the services it talks to, as the server of
 * 2026.916.1 reads them (master key, JWT and auth secrets, database URLs, storage and chat
 * integrations), by pattern so that new variables of a family are covered too.
 */
export const INHERIT_DENY_PATTERNS: readonly string[] = [
  "PAPERCLIP_SECRETS_*",
  "PAPERCLIP_AGENT_JWT_*",
  "PAPERCLIP_*_SECRET",
  "PAPERCLIP_*_TOKEN",
  "PAPERCLIP_*_KEY",
  "PAPERCLIP_*_KEY_*",
  "PAPERCLIP_*_DATABASE_URL",
  "PAPERCLIP_STORAGE_*",
  "PAPERCLIP_DEX_*",
  "PAPERCLIP_MASTER_KEY*",
  "PAPERCLIP_API_KEY",
  "BETTER_AUTH_*",
  "DATABASE_*",
  "*_DATABASE_URL",
  "POSTGRES_*",
  "PG*",
  "REDIS_*",
  "RUN_LOG_S3_*",
  "SLACK_*",
  "DISCORD_*",
  "TELEGRAM_*",
  "TEAMS_*",
  "GITHUB_APP_*",
  "GITHUB_WEBHOOK_*",
  "GITHUB_PRIVATE_KEY",
];

/** What every agent pod inherits when the server has it: claude's own settings, proxies, locale. */
export const MODEL_ENV_NAMES: ReadonlySet<string> = new Set([
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_AUTH_TOKEN",
  "ANTHROPIC_BASE_URL",
  "ANTHROPIC_CUSTOM_HEADERS",
  "ANTHROPIC_MODEL",
  "ANTHROPIC_SMALL_FAST_MODEL",
  "ANTHROPIC_DEFAULT_OPUS_MODEL",
  "ANTHROPIC_DEFAULT_SONNET_MODEL",
  "ANTHROPIC_DEFAULT_HAIKU_MODEL",
  "CLAUDE_CODE_OAUTH_TOKEN",
  "CLAUDE_CODE_USE_BEDROCK",
  "CLAUDE_CODE_USE_VERTEX",
  "CLAUDE_CODE_SKIP_BEDROCK_AUTH",
  "CLAUDE_CODE_SKIP_VERTEX_AUTH",
  "CLAUDE_CODE_MAX_OUTPUT_TOKENS",
  "CLAUDE_CODE_MAX_RETRIES",
  "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
  "MAX_THINKING_TOKENS",
  "DISABLE_PROMPT_CACHING",
  "DISABLE_TELEMETRY",
  "DISABLE_AUTOUPDATER",
  "DISABLE_ERROR_REPORTING",
  "PAPERCLIP_API_URL",
  "PAPERCLIP_PUBLIC_URL",
  "PAPERCLIP_INSTANCE_ID",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "NODE_EXTRA_CA_CERTS",
  "TZ",
  "LANG",
  "LC_ALL",
]);

/** Amazon Bedrock's variables: inherited only when the server has CLAUDE_CODE_USE_BEDROCK set. */
export const BEDROCK_ENV_NAMES: ReadonlySet<string> = new Set([
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_BEARER_TOKEN_BEDROCK",
  "ANTHROPIC_BEDROCK_BASE_URL",
  "ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION",
]);

/** Google Vertex AI's variables: inherited only when the server has CLAUDE_CODE_USE_VERTEX set. */
export const VERTEX_ENV_NAMES: ReadonlySet<string> = new Set([
  "CLOUD_ML_REGION",
  "ANTHROPIC_VERTEX_PROJECT_ID",
  "ANTHROPIC_VERTEX_BASE_URL",
  "VERTEX_REGION_CLAUDE_3_5_HAIKU",
  "VERTEX_REGION_CLAUDE_3_7_SONNET",
  "VERTEX_REGION_CLAUDE_4_0_OPUS",
  "VERTEX_REGION_CLAUDE_4_0_SONNET",
  "VERTEX_REGION_CLAUDE_4_1_OPUS",
]);

export interface InheritanceRules {
  /** Names or `PREFIX_*` the operator opts every agent into (CLAUDE_K8S_INHERIT_ENV). */
  operator?: readonly string[];
  /** The agent config's `inheritEnv` (already allowed by the operator's policy). */
  agent?: readonly string[];
  /** Which cloud provider claude talks to, from the server's own env: their variables come along. */
  provider?: { bedrock: boolean; vertex: boolean };
}

export function isDeniedEnvName(name: string): boolean {
  return matchesAny(INHERIT_DENY_PATTERNS, name) || isHostOnlyEnvName(name);
}

const matchesInheritPattern = (pattern: string, name: string) => (pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern);

export function isInheritableEnvName(name: string, rules: InheritanceRules = {}): boolean {
  if (isDeniedEnvName(name)) return false;
  if (MODEL_ENV_NAMES.has(name)) return true;
  if (rules.provider?.bedrock && BEDROCK_ENV_NAMES.has(name)) return true;
  if (rules.provider?.vertex && VERTEX_ENV_NAMES.has(name)) return true;
  return [...(rules.operator ?? []), ...(rules.agent ?? [])].some((pattern) => matchesInheritPattern(pattern, name));
}

/** Whether a provider switch (CLAUDE_CODE_USE_BEDROCK=1) is on: set and not "0"/"false". */
export function isSwitchOn(value: string | undefined): boolean {
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}

/**
 * Keys the Paperclip server adds to `config.env` that name things on the server host
 * (its temp and scratch directories, its gh config, its runner network). In a pod they point
 * nowhere, or somewhere else entirely, so they are dropped.
 */
const HOST_ONLY_EXACT: ReadonlySet<string> = new Set([
  "TMPDIR",
  "TMP",
  "TEMP",
  "PAPERCLIP_SCRATCH_DIR",
  "PAPERCLIP_RUN_SCRATCH_DIR",
  "GH_CONFIG_DIR",
]);
const HOST_ONLY_PREFIXES = ["PAPERCLIP_GITHUB_", "PAPERCLIP_RUNNER_NETWORK_"];

export function isHostOnlyEnvName(name: string): boolean {
  return HOST_ONLY_EXACT.has(name) || HOST_ONLY_PREFIXES.some((prefix) => name.startsWith(prefix));
}
