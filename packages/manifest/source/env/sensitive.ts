/**
 * Which environment values are credentials. Those never appear as literals in the Job: they
 * travel in the per-run Secret and reach the container by secretKeyRef, because anyone who
 * can `get pods` (including a read-only Kubernetes MCP server) can read a pod spec.
 */
const SENSITIVE_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL|AUTH|COOKIE|PRIVATE/i;

export function isSensitiveEnvName(name: string): boolean {
  return name.toUpperCase().startsWith("ANTHROPIC_") || SENSITIVE_NAME.test(name);
}

/**
 * A URL with user:password inside (proxy settings often carry one) is a credential whatever
 * its name. A scan, not a regular expression: values reach 128 KiB, and a backtracking
 * pattern over that many characters takes seconds.
 */
export function hasUrlUserinfo(value: string): boolean {
  for (let at = value.indexOf("://"); at !== -1; at = value.indexOf("://", at + 3)) {
    let end = at + 3;
    while (end < value.length && !"/@ \t\r\n".includes(value[end]!)) end++;
    if (end > at + 3 && value[end] === "@") return true;
  }
  return false;
}

export function isSensitiveEnv(name: string, value: string): boolean {
  return isSensitiveEnvName(name) || hasUrlUserinfo(value);
}

/**
 * Names whose values are settings, not credentials: the only values from `config.env` or the
 * server's env that may stand as literals in the pod spec. A name heuristic misses too much
 * (`SMTP_PASS`, `GH_PAT`, `STRIPE_SK`, connection strings, webhook URLs), so everything else
 * travels in the per-run Secret.
 */
export const PUBLIC_ENV_NAMES: ReadonlySet<string> = new Set([
  "HOME",
  "PATH",
  "TZ",
  "LANG",
  "LC_ALL",
  "TERM",
  "NODE_ENV",
  "DISABLE_TELEMETRY",
  "DISABLE_AUTOUPDATER",
  "DISABLE_ERROR_REPORTING",
  "DISABLE_PROMPT_CACHING",
  "MAX_THINKING_TOKENS",
  "CLAUDE_CODE_USE_BEDROCK",
  "CLAUDE_CODE_USE_VERTEX",
  "CLAUDE_CODE_MAX_RETRIES",
  "CLAUDE_CODE_MAX_OUTPUT_TOKENS",
  "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
  "CLAUDE_CODE_STARTUP_FAILURE_RESULTS",
  "ANTHROPIC_MODEL",
  "ANTHROPIC_SMALL_FAST_MODEL",
  "ANTHROPIC_DEFAULT_OPUS_MODEL",
  "ANTHROPIC_DEFAULT_SONNET_MODEL",
  "ANTHROPIC_DEFAULT_HAIKU_MODEL",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "CLOUD_ML_REGION",
  "GIT_AUTHOR_NAME",
  "GIT_AUTHOR_EMAIL",
  "GIT_COMMITTER_NAME",
  "GIT_COMMITTER_EMAIL",
  "PAPERCLIP_API_URL",
  "PAPERCLIP_PUBLIC_URL",
  "PAPERCLIP_INSTANCE_ID",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
]);

/** A value from config or the server's env that may be a literal in the pod spec. */
export function isPublicEnv(name: string, value: string): boolean {
  return PUBLIC_ENV_NAMES.has(name) && !hasUrlUserinfo(value);
}
