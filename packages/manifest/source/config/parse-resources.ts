import { parseQuantity } from "../k8s-formats.ts";
import { DEFAULT_RESOURCES } from "./defaults.ts";
import { type IssueList, isAbsent, isPlainObject } from "./read-values.ts";
import type { ResourceList, ResourceRequirements } from "./types.ts";

const KINDS = ["requests", "limits"] as const;
const NAMES = ["cpu", "memory", "ephemeral-storage"] as const;
type Kind = (typeof KINDS)[number];
type Name = (typeof NAMES)[number];

const EXAMPLES: Record<Name, string> = { cpu: '"500m"', memory: '"2Gi"', "ephemeral-storage": '"10Gi"' };

/**
 * `resources` as a nested object (what the public adapter documented) and as flat dotted keys
 * `resources.requests.cpu` (what its code actually read). Both work here; the dotted key wins
 * when both are given. Unset values keep the defaults (requests 1000m/2Gi/1Gi of ephemeral-storage, limits
 * 4000m/8Gi/20Gi).
 */
export function parseResources(raw: Record<string, unknown>, issues: IssueList): ResourceRequirements {
  const result: ResourceRequirements = {
    requests: { ...DEFAULT_RESOURCES.requests },
    limits: { ...DEFAULT_RESOURCES.limits },
  };
  const nested = raw.resources;
  if (!isAbsent(nested)) {
    if (!isPlainObject(nested)) {
      issues.add("resources", "an object like {requests: {cpu, memory}, limits: {cpu, memory}}", nested, '{"limits": {"memory": "4Gi"}}');
    } else {
      for (const [kind, list] of Object.entries(nested)) {
        if (!KINDS.includes(kind as Kind)) {
          issues.add(`resources.${kind}`, "requests or limits", kind, '"limits"');
          continue;
        }
        if (isAbsent(list)) continue;
        if (!isPlainObject(list)) {
          issues.add(`resources.${kind}`, "an object of quantities", list, '{"memory": "4Gi"}');
          continue;
        }
        for (const [name, value] of Object.entries(list)) setQuantity(result, kind as Kind, name, value, issues);
      }
    }
  }
  for (const kind of KINDS) {
    for (const name of NAMES) {
      const key = `resources.${kind}.${name}`;
      if (key in raw) setQuantity(result, kind, name, raw[key], issues);
    }
  }
  lowerDefaultStorageRequest(raw, result);
  for (const name of NAMES) checkRequestWithinLimit(result, name, issues);
  return result;
}

/**
 * A limit of ephemeral-storage below the default request, with no request given, takes the
 * request down with it: the default request is ours, not a choice to refuse the limit over.
 */
function lowerDefaultStorageRequest(raw: Record<string, unknown>, result: ResourceRequirements): void {
  const name = "ephemeral-storage";
  const nested = isPlainObject(raw.resources) && isPlainObject(raw.resources.requests) ? raw.resources.requests[name] : undefined;
  if (!isAbsent(nested) || !isAbsent(raw[`resources.requests.${name}`])) return;
  const request = result.requests[name];
  const limit = result.limits[name];
  if (request === undefined || limit === undefined) return;
  if ((parseQuantity(request) ?? 0) > (parseQuantity(limit) ?? Number.POSITIVE_INFINITY)) result.requests[name] = limit;
}

function setQuantity(result: ResourceRequirements, kind: Kind, name: string, value: unknown, issues: IssueList): void {
  const path = `resources.${kind}.${name}`;
  if (!NAMES.includes(name as Name)) {
    issues.add(path, "cpu, memory or ephemeral-storage", name, '"memory"');
    return;
  }
  if (isAbsent(value)) return;
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== "string" || parseQuantity(text.trim()) === undefined || (parseQuantity(text.trim()) ?? 0) <= 0) {
    issues.add(path, "a positive Kubernetes quantity", value, EXAMPLES[name as Name]);
    return;
  }
  (result[kind] as ResourceList)[name as Name] = text.trim();
}

/** The API server rejects a request above its limit; say so before a run is attempted. */
function checkRequestWithinLimit(result: ResourceRequirements, name: Name, issues: IssueList): void {
  const request = result.requests[name];
  const limit = result.limits[name];
  if (request === undefined || limit === undefined) return;
  if ((parseQuantity(request) ?? 0) > (parseQuantity(limit) ?? Number.POSITIVE_INFINITY)) {
    issues.add(`resources.requests.${name}`, `at most the limit (${limit})`, request, JSON.stringify(limit));
  }
}
