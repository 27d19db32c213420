/**
 * A Kubernetes API request as metric attributes: the RBAC verb (get, list, watch, create,
 * update, patch, delete) and the resource with its subresource (`pods/log`). Pure; the
 * path is ours (built by the runtime), so only its shape is read, never names.
 */
export interface ApiRequestKind {
  verb: string;
  resource: string;
}

export function apiRequestKind(method: string, path: string, query: Record<string, unknown> = {}): ApiRequestKind {
  // /api/v1/... or /apis/<group>/<version>/..., then [namespaces/<ns>/]<resource>[/<name>[/<subresource>]]
  const parts = path.split("?")[0]?.split("/").filter(Boolean) ?? [];
  let rest = parts[0] === "api" ? parts.slice(2) : parts[0] === "apis" ? parts.slice(3) : parts;
  // `namespaces/<ns>/<resource>` is namespaced; `namespaces/<ns>` alone is the Namespace itself.
  if (rest[0] === "namespaces" && rest.length >= 3) rest = rest.slice(2);
  const [resource = "unknown", name, subresource] = rest;
  const withSub = subresource ? `${resource}/${subresource}` : resource;
  const verb = verbOf(method.toUpperCase(), name !== undefined, query.watch === true || query.watch === "true" || query.watch === 1 || query.watch === "1");
  return { verb, resource: withSub };
}

function verbOf(method: string, named: boolean, watch: boolean): string {
  switch (method) {
    case "GET":
      return watch ? "watch" : named ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return named ? "delete" : "deletecollection";
    default:
      return method.toLowerCase();
  }
}
