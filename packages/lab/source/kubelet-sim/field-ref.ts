import { parseQuantity } from "./quantity.ts";
import type { Container, Pod, ResourceFieldSelector } from "./types.ts";

// The downward API: pod fields and container resources as strings, shared by env vars
// (fieldRef, resourceFieldRef) and downwardAPI volume files.

/** What the node reports as its IP and its allocatable resources (the default for unset limits). */
export type NodeFacts = { hostIP: string; podIP: string; allocatable: { cpu: number; memory: number } };

const subscripted = /^metadata\.(labels|annotations)\['([^']+)'\]$/;

/** The value of `fieldPath` for `pod`, or an Error naming the unsupported path. */
export function resolveFieldPath(pod: Pod, fieldPath: string, node: NodeFacts): string | Error {
  const keyed = subscripted.exec(fieldPath);
  if (keyed) {
    const map = keyed[1] === "labels" ? pod.metadata.labels : pod.metadata.annotations;
    return map?.[keyed[2] ?? ""] ?? "";
  }
  switch (fieldPath) {
    case "metadata.name":
      return pod.metadata.name;
    case "metadata.namespace":
      return pod.metadata.namespace ?? "default";
    case "metadata.uid":
      return pod.metadata.uid;
    case "metadata.labels":
      return formatMap(pod.metadata.labels);
    case "metadata.annotations":
      return formatMap(pod.metadata.annotations);
    case "spec.nodeName":
      return pod.spec.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec.serviceAccountName ?? "default";
    case "status.hostIP":
    case "status.hostIPs":
      return node.hostIP;
    case "status.podIP":
    case "status.podIPs":
      return node.podIP;
    default:
      return new Error(`unsupported fieldRef fieldPath "${fieldPath}"`);
  }
}

/** `key="value"` lines, sorted, as a downwardAPI volume shows a whole label/annotation map. */
function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((key) => `${key}=${JSON.stringify(map?.[key])}`)
    .join("\n");
}

/** limits.cpu, requests.memory, ... of a container, divided by `divisor` and rounded up like the kubelet. */
export function resolveResourceField(
  pod: Pod,
  container: Container | undefined,
  selector: ResourceFieldSelector,
  node: NodeFacts,
): string | Error {
  const target = selector.containerName ? pod.spec.containers.find((c) => c.name === selector.containerName) : container;
  if (!target) return new Error(`resourceFieldRef names container "${selector.containerName ?? ""}", which the pod does not have`);
  const [kind, resource] = selector.resource.split(".");
  if ((kind !== "limits" && kind !== "requests") || (resource !== "cpu" && resource !== "memory")) {
    return new Error(`unsupported resourceFieldRef resource "${selector.resource}" (supported: limits/requests .cpu/.memory)`);
  }
  const limit = target.resources?.limits?.[resource];
  const request = target.resources?.requests?.[resource];
  // Unset limits default to the node's allocatable; unset requests default to the limit.
  const raw = kind === "limits" ? limit : (request ?? limit);
  const value = raw === undefined ? (kind === "limits" ? node.allocatable[resource] : 0) : parseQuantity(raw);
  const divisor = selector.divisor === undefined ? 1 : parseQuantity(selector.divisor);
  if (!(divisor > 0)) return new Error(`resourceFieldRef divisor must be > 0, got "${selector.divisor}"`);
  return String(Math.ceil(value / divisor - 1e-9));
}
