import { isDns1123Subdomain, isEnvVarName, isSecretKey } from "../k8s-formats.ts";
import { type IssueList, isAbsent, isPlainObject, parseJsonOrUndefined, readStringArray } from "./read-values.ts";

/**
 * `env`: names to values. Paperclip resolves secret bindings into plain strings before the
 * adapter sees them; the `{type: "plain", value}` binding form is accepted too (what an
 * unresolved config, e.g. one exported for `claude-k8s render`, holds).
 */
export function parseEnv(value: unknown, issues: IssueList): Record<string, string> {
  if (isAbsent(value)) return {};
  const example = '{"GIT_AUTHOR_NAME": "ceo-agent"}';
  if (!isPlainObject(value)) {
    issues.add("env", "an object of environment variables", value, example);
    return {};
  }
  const env: Record<string, string> = {};
  for (const [name, item] of Object.entries(value)) {
    const path = `env.${name}`;
    if (!isEnvVarName(name)) {
      issues.add(path, "a name of letters, digits, '_', '-' or '.', not starting with a digit", name, '"MY_VAR"');
      continue;
    }
    if (typeof item === "string" && item.includes("\0")) {
      issues.add(path, "a value without NUL characters (exec cannot pass them)", item, '"value"');
    } else if (typeof item === "string") env[name] = item;
    else if ((typeof item === "number" && Number.isFinite(item)) || typeof item === "boolean") env[name] = String(item);
    else if (isPlainObject(item) && item.type === "plain" && typeof item.value === "string") env[name] = item.value;
    else if (isPlainObject(item) && item.type === "secret_ref") {
      issues.add(path, "a resolved value (Paperclip resolves secret references before the adapter runs)", item, '"value"');
    } else issues.add(path, "a string", item, '"value"');
  }
  return env;
}

/** `inheritEnv`: extra names (or `PREFIX_*`) the agent pod may inherit from the server pod. */
export function parseInheritEnv(value: unknown, issues: IssueList): string[] {
  const patterns = readStringArray(value, "inheritEnv", issues, '["PENSTOCK_READY_TIMEOUT_MS", "OTEL_*"]') ?? [];
  return patterns.filter((pattern, index) => {
    const name = pattern.endsWith("*") ? pattern.slice(0, -1) : pattern;
    if (name !== "" && isEnvVarName(name)) return true;
    issues.add(`inheritEnv[${index}]`, "an env var name, or a prefix ending in *", pattern, '"OTEL_*"');
    return false;
  });
}

/** `envFromSecrets`: names of Secrets in the Job namespace, each key of which becomes a variable. */
export function parseEnvFromSecrets(value: unknown, issues: IssueList): string[] {
  const names = readStringArray(value, "envFromSecrets", issues, '["anthropic-credentials"]') ?? [];
  return names.filter((name, index) => {
    if (isDns1123Subdomain(name)) return true;
    issues.add(`envFromSecrets[${index}]`, "a Secret name (DNS-1123 subdomain)", name, '"anthropic-credentials"');
    return false;
  });
}

/**
 * `envSecretKeyRefs`: variable name to `"<secret>/<key>"` (or `{name, key}`), each read by the
 * kubelet from a Secret in the Job namespace: the value never passes through Paperclip's
 * config or the per-run Secret.
 */
export function parseEnvSecretKeyRefs(value: unknown, issues: IssueList): Record<string, { name: string; key: string }> {
  if (isAbsent(value)) return {};
  const example = '{"ANTHROPIC_API_KEY": "anthropic-credentials/api-key"}';
  const candidate = typeof value === "string" ? parseJsonOrUndefined(value) : value;
  if (!isPlainObject(candidate)) {
    issues.add("envSecretKeyRefs", "an object of variable names to \"<secret>/<key>\"", value, example);
    return {};
  }
  const refs: Record<string, { name: string; key: string }> = {};
  for (const [variable, item] of Object.entries(candidate)) {
    const path = `envSecretKeyRefs.${variable}`;
    if (!isEnvVarName(variable)) {
      issues.add(path, "a variable name of letters, digits, '_', '-' or '.', not starting with a digit", variable, '"ANTHROPIC_API_KEY"');
      continue;
    }
    const ref =
      typeof item === "string" && item.includes("/")
        ? { name: item.slice(0, item.indexOf("/")), key: item.slice(item.indexOf("/") + 1) }
        : isPlainObject(item) && typeof item.name === "string" && typeof item.key === "string"
          ? { name: item.name, key: item.key }
          : undefined;
    if (ref === undefined || !isDns1123Subdomain(ref.name) || !isSecretKey(ref.key)) {
      issues.add(path, '"<secret name>/<key>" naming a Secret (DNS-1123 subdomain) and one of its keys', item, '"anthropic-credentials/api-key"');
      continue;
    }
    refs[variable] = ref;
  }
  return refs;
}
