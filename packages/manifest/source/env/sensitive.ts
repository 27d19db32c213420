/**
 * Which environment values are credentials. Those never appear as literals in the Job: they
 * travel in the per-run Secret and reach the container by secretKeyRef, because anyone who
 * can `get pods` (including a read-only Kubernetes MCP server) can read a pod spec.
 */
const SENSITIVE_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL|AUTH|COOKIE|PRIVATE/i;

export function isSensitiveEnvName(name: string): boolean {
  return name.toUpperCase().startsWith("ANTHROPIC_") || SENSITIVE_NAME.test(name);
}

/** A URL with user:password inside (proxy settings often carry one) is a credential whatever its name. */
const URL_WITH_USERINFO = /[a-z][a-z0-9+.-]*:\/\/[^/\s@]+@/i;

export function isSensitiveEnv(name: string, value: string): boolean {
  return isSensitiveEnvName(name) || URL_WITH_USERINFO.test(value);
}
