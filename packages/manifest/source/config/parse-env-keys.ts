import { isEnvVarName } from "../k8s-formats.ts";
import { type IssueList, isAbsent, isPlainObject, readStringArray } from "./read-values.ts";

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
