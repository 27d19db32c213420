// What a Kubernetes API request is, from its method and URL alone: the fault proxy counts
// and matches requests by it. Mirrors the API server's own request-info rules (legacy
// /api vs /apis/<group>, namespaced paths, the namespace's own status/finalize
// subresources, ?watch=true) closely enough for load accounting; not an authorizer.

export type RequestInfo = {
  /** get, list, watch, create, update, patch, delete, deletecollection; for non-resource paths the lowercased method. */
  verb: string;
  /** "" for the core group. */
  group: string;
  /** Plural resource, e.g. "pods"; "" for non-resource paths. */
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** False for /version, /healthz, discovery (/api, /apis/batch/v1) and the like. */
  isResource: boolean;
  path: string;
  /** Long-lived requests the proxy can cut: watches, log streams, exec/attach/port-forward. */
  stream: "watch" | "log" | "exec" | null;
};

const namespaceSubresources = new Set(["status", "finalize"]);
const execSubresources = new Set(["exec", "attach", "portforward", "proxy"]);

export function describeRequest(method: string, rawUrl: string): RequestInfo {
  const url = new URL(rawUrl, "http://proxy.invalid");
  const parts = url.pathname.split("/").filter((part) => part !== "");
  const info: RequestInfo = {
    verb: method.toLowerCase(),
    group: "",
    resource: "",
    subresource: "",
    namespace: "",
    name: "",
    isResource: false,
    path: url.pathname,
    stream: null,
  };

  let rest: string[];
  if (parts[0] === "api" && parts.length >= 2) {
    rest = parts.slice(2);
  } else if (parts[0] === "apis" && parts.length >= 3) {
    info.group = decodeURIComponent(parts[1] ?? "");
    rest = parts.slice(3);
  } else {
    return info;
  }
  if (rest.length === 0) return info;

  // The deprecated /api/v1/watch/... form.
  let legacyWatch = false;
  if (rest[0] === "watch") {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  if (rest[0] === "namespaces" && rest.length >= 2) {
    info.namespace = decodeURIComponent(rest[1] ?? "");
    if (rest.length > 2 && !namespaceSubresources.has(rest[2] ?? "")) rest = rest.slice(2);
  }
  info.isResource = true;
  info.resource = rest[0] ?? "";
  info.name = decodeURIComponent(rest[1] ?? "");
  info.subresource = rest[2] ?? "";

  const watchParam = url.searchParams.get("watch");
  const wantsWatch = legacyWatch || watchParam === "true" || watchParam === "1";
  switch (method.toUpperCase()) {
    case "GET":
    case "HEAD":
      info.verb = wantsWatch ? "watch" : info.name === "" ? "list" : "get";
      break;
    case "POST":
      info.verb = "create";
      break;
    case "PUT":
      info.verb = "update";
      break;
    case "PATCH":
      info.verb = "patch";
      break;
    case "DELETE":
      info.verb = info.name === "" ? "deletecollection" : "delete";
      break;
  }

  if (info.verb === "watch") info.stream = "watch";
  else if (info.resource === "pods" && info.subresource === "log") info.stream = "log";
  else if (execSubresources.has(info.subresource)) info.stream = "exec";
  return info;
}

/**
 * The counting key: "<verb> <resource>[.<group>][/<subresource>]" ("list jobs.batch",
 * "watch pods", "get pods/log"), or "<verb> <path>" for non-resource requests ("get /version").
 */
export function requestKey(info: RequestInfo): string {
  if (!info.isResource) return `${info.verb} ${info.path}`;
  const group = info.group === "" ? "" : `.${info.group}`;
  const sub = info.subresource === "" ? "" : `/${info.subresource}`;
  return `${info.verb} ${info.resource}${group}${sub}`;
}
