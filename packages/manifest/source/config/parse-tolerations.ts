import { isLabelValue, isQualifiedName } from "../k8s-formats.ts";
import { type IssueList, isAbsent, isPlainObject, parseJsonOrUndefined } from "./read-values.ts";
import type { Toleration } from "./types.ts";

const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

/**
 * Tolerations as an array or a JSON string (the public adapter's UI sent a string, which its
 * code then dropped). Checked field by field, with the API server's cross-field rules.
 */
export function readTolerations(value: unknown, issues: IssueList): Toleration[] | undefined {
  if (isAbsent(value)) return undefined;
  const example = '[{"key": "dedicated", "operator": "Equal", "value": "agents", "effect": "NoSchedule"}]';
  const candidate = typeof value === "string" ? parseJsonOrUndefined(value) : value;
  if (!Array.isArray(candidate)) return issues.add("tolerations", "an array of tolerations (or a JSON array)", value, example);
  const result: Toleration[] = [];
  candidate.forEach((item, index) => {
    const toleration = readToleration(item, `tolerations[${index}]`, issues, example);
    if (toleration) result.push(toleration);
  });
  return result;
}

function readToleration(item: unknown, path: string, issues: IssueList, example: string): Toleration | undefined {
  if (!isPlainObject(item)) return issues.add(path, "a toleration object", item, example);
  const before = issues.issues.length;
  const toleration: Toleration = {};
  const { key, operator, value, effect, tolerationSeconds } = item;
  for (const field of Object.keys(item)) {
    if (!["key", "operator", "value", "effect", "tolerationSeconds"].includes(field)) {
      issues.add(`${path}.${field}`, "no such field (key, operator, value, effect, tolerationSeconds)", item[field]);
    }
  }
  if (key !== undefined && key !== "") {
    if (typeof key !== "string" || !isQualifiedName(key)) issues.add(`${path}.key`, "a label key", key, '"dedicated"');
    else toleration.key = key;
  }
  if (operator !== undefined) {
    if (operator !== "Exists" && operator !== "Equal") issues.add(`${path}.operator`, "Exists or Equal", operator, '"Equal"');
    else toleration.operator = operator;
  }
  if (value !== undefined && value !== "") {
    if (typeof value !== "string" || !isLabelValue(value)) issues.add(`${path}.value`, "a label value", value, '"agents"');
    else toleration.value = value;
  }
  if (effect !== undefined && effect !== "") {
    if (!EFFECTS.includes(effect as (typeof EFFECTS)[number])) {
      issues.add(`${path}.effect`, "NoSchedule, PreferNoSchedule or NoExecute", effect, '"NoSchedule"');
    } else toleration.effect = effect as Toleration["effect"];
  }
  if (tolerationSeconds !== undefined) {
    if (typeof tolerationSeconds !== "number" || !Number.isSafeInteger(tolerationSeconds)) {
      issues.add(`${path}.tolerationSeconds`, "a whole number of seconds", tolerationSeconds, "300");
    } else if (toleration.effect !== "NoExecute") {
      issues.add(`${path}.tolerationSeconds`, "only together with effect NoExecute", tolerationSeconds, "300");
    } else toleration.tolerationSeconds = tolerationSeconds;
  }
  // The API server's own cross-field rules.
  if (toleration.operator === "Exists" && toleration.value !== undefined) {
    issues.add(`${path}.value`, "no value when operator is Exists", value);
  }
  if (toleration.key === undefined && toleration.operator !== "Exists") {
    issues.add(`${path}.operator`, "Exists when there is no key (an empty key matches every taint)", operator ?? "Equal", '"Exists"');
  }
  return issues.issues.length === before ? toleration : undefined;
}
