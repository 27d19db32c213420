import { isDns1123Label, isDns1123Subdomain, isLabelValue, isQualifiedName } from "../k8s-formats.ts";
import { RESERVED_LABEL_PREFIXES } from "../labels.ts";
import { readTolerations } from "./parse-tolerations.ts";
import { type IssueList, readBoolean, readString, readStringArray, readStringMap } from "./read-values.ts";
import type { AdapterConfig, ImagePullPolicy } from "./types.ts";

type PlacementKeys = Pick<
  AdapterConfig,
  | "namespace"
  | "image"
  | "imagePullPolicy"
  | "imagePullSecrets"
  | "kubeconfig"
  | "serviceAccountName"
  | "automountServiceAccountToken"
  | "nodeSelector"
  | "tolerations"
  | "labels"
  | "podAnnotations"
  | "priorityClassName"
>;

const PULL_POLICIES: readonly ImagePullPolicy[] = ["Always", "IfNotPresent", "Never"];

export function parsePlacementKeys(raw: Record<string, unknown>, issues: IssueList): PlacementKeys {
  const namespace = readString(raw.namespace, "namespace", issues, '"paperclip-agents"');
  if (namespace !== undefined && !isDns1123Label(namespace)) {
    issues.add("namespace", "a DNS-1123 label (lowercase letters, digits, '-', at most 63)", raw.namespace, '"paperclip-agents"');
  }
  const image = readString(raw.image, "image", issues, '"ghcr.io/acme/paperclip-agent:1.4.2"');
  if (image !== undefined && /\s/.test(image)) {
    issues.add("image", "an image reference without spaces", raw.image, '"ghcr.io/acme/paperclip-agent:1.4.2"');
  }
  const pullPolicy = readString(raw.imagePullPolicy, "imagePullPolicy", issues, '"IfNotPresent"');
  if (pullPolicy !== undefined && !PULL_POLICIES.includes(pullPolicy as ImagePullPolicy)) {
    issues.add("imagePullPolicy", "one of Always, IfNotPresent, Never", raw.imagePullPolicy, '"IfNotPresent"');
  }
  const serviceAccountName = readString(raw.serviceAccountName, "serviceAccountName", issues, '"paperclip-agent"');
  if (serviceAccountName !== undefined && !isDns1123Subdomain(serviceAccountName)) {
    issues.add("serviceAccountName", "a DNS-1123 subdomain", raw.serviceAccountName, '"paperclip-agent"');
  }
  const imagePullSecrets = readStringArray(raw.imagePullSecrets, "imagePullSecrets", issues, '["regcred"]');
  imagePullSecrets?.forEach((name, index) => {
    if (!isDns1123Subdomain(name)) issues.add(`imagePullSecrets[${index}]`, "a Secret name (DNS-1123 subdomain)", name, '"regcred"');
  });
  const kubeconfig = readString(raw.kubeconfig, "kubeconfig", issues, '"/etc/paperclip/kubeconfig"');
  const nodeSelector = readStringMap(raw.nodeSelector, "nodeSelector", issues, '{"pool": "agents"}');
  if (nodeSelector !== undefined) checkLabelMap(nodeSelector, "nodeSelector", issues);
  const tolerations = readTolerations(raw.tolerations, issues);
  const priorityClassName = readString(raw.priorityClassName, "priorityClassName", issues, '"paperclip-agents"');
  if (priorityClassName !== undefined && !isDns1123Subdomain(priorityClassName)) {
    issues.add("priorityClassName", "a PriorityClass name (DNS-1123 subdomain)", raw.priorityClassName, '"paperclip-agents"');
  }
  const automount = readBoolean(raw.automountServiceAccountToken, "automountServiceAccountToken", issues) ?? false;
  if (automount && serviceAccountName === undefined) {
    issues.warn("automountServiceAccountToken is on without serviceAccountName: agent pods get the namespace's default ServiceAccount token");
  }
  return {
    ...(namespace === undefined ? {} : { namespace }),
    ...(image === undefined ? {} : { image }),
    imagePullPolicy: PULL_POLICIES.includes(pullPolicy as ImagePullPolicy) ? (pullPolicy as ImagePullPolicy) : "IfNotPresent",
    ...(imagePullSecrets === undefined ? {} : { imagePullSecrets }),
    ...(kubeconfig === undefined ? {} : { kubeconfig }),
    ...(serviceAccountName === undefined ? {} : { serviceAccountName }),
    automountServiceAccountToken: automount,
    ...(nodeSelector === undefined ? {} : { nodeSelector }),
    ...(tolerations === undefined ? {} : { tolerations }),
    labels: readUserLabels(raw.labels, issues),
    podAnnotations: readPodAnnotations(raw.podAnnotations, issues),
    ...(priorityClassName === undefined ? {} : { priorityClassName }),
  };
}

function checkLabelMap(map: Record<string, string>, path: string, issues: IssueList): void {
  for (const [key, value] of Object.entries(map)) {
    if (!isQualifiedName(key)) issues.add(`${path} key ${JSON.stringify(key)}`, "a label key ([prefix/]name, name <= 63)", key, '"team"');
    if (!isLabelValue(value)) {
      issues.add(`${path}.${key}`, "a label value (<= 63 of letters, digits, '-', '_', '.', alphanumeric at both ends)", value, '"platform"');
    }
  }
}

/** User labels; those under our reserved prefixes are dropped (they identify our own Jobs). */
function readUserLabels(value: unknown, issues: IssueList): Record<string, string> {
  const labels = readStringMap(value, "labels", issues, '{"team": "platform"}') ?? {};
  checkLabelMap(labels, "labels", issues);
  const kept: Record<string, string> = {};
  for (const [key, item] of Object.entries(labels)) {
    if (RESERVED_LABEL_PREFIXES.some((prefix) => key.startsWith(prefix))) {
      issues.warn(`labels.${key} was dropped: the prefixes ${RESERVED_LABEL_PREFIXES.join(", ")} are reserved for the adapter`);
    } else kept[key] = item;
  }
  return kept;
}

/** The API server's cap on all annotations of an object together. */
const MAX_ANNOTATION_BYTES = 256 * 1024;

/** Pod annotations: any text as values; keys validated; our reserved prefixes dropped. */
function readPodAnnotations(value: unknown, issues: IssueList): Record<string, string> {
  const annotations = readStringMap(value, "podAnnotations", issues, '{"sidecar.istio.io/inject": "false"}') ?? {};
  const kept: Record<string, string> = {};
  let bytes = 0;
  for (const [key, item] of Object.entries(annotations)) {
    if (!isQualifiedName(key)) {
      issues.add(`podAnnotations key ${JSON.stringify(key)}`, "an annotation key ([prefix/]name, name <= 63)", key, '"sidecar.istio.io/inject"');
    } else if (RESERVED_LABEL_PREFIXES.some((prefix) => key.startsWith(prefix))) {
      issues.warn(`podAnnotations.${key} was dropped: the prefixes ${RESERVED_LABEL_PREFIXES.join(", ")} are reserved for the adapter`);
    } else {
      kept[key] = item;
      bytes += key.length + item.length;
    }
  }
  // Leave room for the adapter's own annotations under the same cap.
  if (bytes > MAX_ANNOTATION_BYTES / 2) {
    issues.add("podAnnotations", `annotations of at most ${MAX_ANNOTATION_BYTES / 2} characters together`, `${bytes} characters`);
  }
  return kept;
}
