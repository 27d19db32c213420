/**
 * Which of the server container's environment variables an agent pod may inherit. The
 * public adapter copied all of them, so every agent pod held the server's JWT signing key and
 * DATABASE_URL; prompt injection turned that into a full compromise. Deny first, then allow
 * only by exact name or by prefix.
 */
export const INHERIT_DENY: ReadonlySet<string> = new Set([
  "PAPERCLIP_AGENT_JWT_SECRET",
  "PAPERCLIP_MASTER_KEY_SEED",
  "PAPERCLIP_API_KEY",
  "PAPERCLIP_DEX_OIDC_CLIENT_SECRET",
  "PAPERCLIP_ALERTMANAGER_WEBHOOK_TOKEN",
  "BETTER_AUTH_SECRET",
  "DATABASE_URL",
  "GITHUB_APP_PRIVATE_KEY",
  "GITHUB_APP_ID",
  "GITHUB_APP_INSTALLATION_ID",
  "GITHUB_WEBHOOK_SECRET",
]);

export const INHERIT_ALLOW_EXACT: ReadonlySet<string> = new Set([
  "PAPERCLIP_API_URL",
  "PAPERCLIP_PUBLIC_URL",
  "PAPERCLIP_INSTANCE_ID",
  "CLAUDE_CONFIG_DIR",
  "DISABLE_TELEMETRY",
  "DISABLE_AUTOUPDATER",
  "DISABLE_ERROR_REPORTING",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "SSL_CERT_FILE",
  "NODE_EXTRA_CA_CERTS",
  "TZ",
  "LANG",
  "LC_ALL",
]);

export const INHERIT_ALLOW_PREFIXES: readonly string[] = [
  "ANTHROPIC_",
  "CLAUDE_CODE_",
  "OPENAI_",
  "AZURE_OPENAI_",
  "AWS_",
  "GOOGLE_",
  "VERTEX_",
  "CLOUD_ML_",
];

/** `extra` holds the config's `inheritEnv`: exact names, or prefixes written `PREFIX_*`. */
export function isInheritableEnvName(name: string, extra: readonly string[] = []): boolean {
  if (INHERIT_DENY.has(name) || isHostOnlyEnvName(name)) return false;
  if (INHERIT_ALLOW_EXACT.has(name) || INHERIT_ALLOW_PREFIXES.some((prefix) => name.startsWith(prefix))) return true;
  return extra.some((pattern) => (pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern));
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
