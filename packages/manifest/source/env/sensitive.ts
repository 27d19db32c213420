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
