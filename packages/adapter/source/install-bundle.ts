import { ADAPTER_TYPE, DEFAULT_RESOURCES, LabelKey } from "@claude-k8s/manifest";
import { rbacManifests } from "./rbac.ts";

/**
 * What an operator installs once per Job namespace: the namespace itself (Pod Security
 * `restricted`), the adapter's identity (the Role from the one permission list the runtime
 * uses), a NetworkPolicy that lets agent pods reach only DNS, the model API and Paperclip,
 * a quota and container defaults, an example shared workspace claim, and the name and keys
 * of the credentials Secret (never a value). `claude-k8s manifests` prints it; the Helm
 * chart in deploy/helm/claude-k8s-agents renders the same objects.
 */
export interface InstallBundleSettings {
  /** The Job namespace, dedicated to agent Jobs (the Role reads every Secret in it). */
  namespace: string;
  /** The ServiceAccount the Paperclip server runs as. */
  serviceAccountName: string;
  /** Where that ServiceAccount lives (the Paperclip server's namespace). */
  serviceAccountNamespace: string;
  /** Egress to the model API: IP ranges (NetworkPolicy cannot match host names) and the TCP port. */
  modelApi: { cidrs: string[]; port: number };
  /** Egress to the Paperclip API: its pods by namespace and labels, and/or IP ranges; the TCP port. */
  paperclipApi: { namespace: string; podSelector: Record<string, string>; cidrs: string[]; port: number };
  /** Egress to the cluster DNS (UDP and TCP 53): its pods by namespace and labels. */
  dns: { namespace: string; podSelector: Record<string, string> };
  quota: { pods: number; requestsCpu: string; requestsMemory: string; limitsCpu: string; limitsMemory: string };
  /** Largest container the namespace admits; containers without resources get the adapter's defaults. */
  containerMax: { cpu: string; memory: string };
  /** The example ReadWriteMany claim for the shared workspace; omitted when undefined. */
  workspaceClaim: { name: string; size: string; storageClassName?: string } | undefined;
  /** The credentials Secret the operator creates, by reference: its name and the keys it holds. */
  credentialsSecret: { name: string; keys: string[] };
}

/** Anthropic's published API address ranges (https://docs.anthropic.com/en/api/ip-addresses). */
export const ANTHROPIC_API_CIDRS = ["160.79.104.0/23", "2607:6bc0::/48"] as const;

export const DEFAULT_BUNDLE_SETTINGS: InstallBundleSettings = {
  namespace: "paperclip-agents",
  serviceAccountName: "paperclip-claude-k8s",
  serviceAccountNamespace: "paperclip-agents",
  modelApi: { cidrs: [...ANTHROPIC_API_CIDRS], port: 443 },
  paperclipApi: { namespace: "paperclip-agents", podSelector: { "app.kubernetes.io/name": "paperclip" }, cidrs: [], port: 3100 },
  dns: { namespace: "kube-system", podSelector: { "k8s-app": "kube-dns" } },
  quota: { pods: 8, requestsCpu: "8", requestsMemory: "16Gi", limitsCpu: "32", limitsMemory: "64Gi" },
  containerMax: { cpu: "4", memory: "8Gi" },
  workspaceClaim: { name: "paperclip-workspace", size: "100Gi" },
  credentialsSecret: { name: "claude-k8s-credentials", keys: ["ANTHROPIC_API_KEY"] },
};

/** The label every agent pod carries: the NetworkPolicy selects these pods only, never the server's. */
export const AGENT_POD_SELECTOR = { [LabelKey.adapterType]: ADAPTER_TYPE } as const;

const BUNDLE_LABELS = { [LabelKey.managedBy]: "claude-k8s", [LabelKey.component]: "agent-namespace" } as const;

const namespaceSelector = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });

/** The bundle's objects, in the order `kubectl apply` needs them (the Namespace first). */
export function installBundle(settings: InstallBundleSettings): Record<string, unknown>[] {
  const { namespace } = settings;
  const labels = { ...BUNDLE_LABELS };
  const namespaceObject = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: namespace,
      labels: {
        ...labels,
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
      },
    },
  };
  const rbac = rbacManifests({ namespace, serviceAccountName: settings.serviceAccountName, serviceAccountNamespace: settings.serviceAccountNamespace }).map((object) => ({
    ...object,
    metadata: { ...object.metadata, labels: { ...labels } },
  }));
  const ipBlocks = (cidrs: readonly string[]) => cidrs.map((cidr) => ({ ipBlock: { cidr } }));
  const networkPolicy = {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "claude-k8s-agents", namespace, labels: { ...labels } },
    spec: {
      podSelector: { matchLabels: { ...AGENT_POD_SELECTOR } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [
        {
          to: [{ namespaceSelector: namespaceSelector(settings.dns.namespace), podSelector: { matchLabels: { ...settings.dns.podSelector } } }],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
        ...(settings.modelApi.cidrs.length > 0 ? [{ to: ipBlocks(settings.modelApi.cidrs), ports: [{ protocol: "TCP", port: settings.modelApi.port }] }] : []),
        {
          to: [{ namespaceSelector: namespaceSelector(settings.paperclipApi.namespace), podSelector: { matchLabels: { ...settings.paperclipApi.podSelector } } }, ...ipBlocks(settings.paperclipApi.cidrs)],
          ports: [{ protocol: "TCP", port: settings.paperclipApi.port }],
        },
      ],
    },
  };
  const resourceQuota = {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: "claude-k8s-agents", namespace, labels: { ...labels } },
    spec: {
      hard: {
        pods: String(settings.quota.pods),
        "requests.cpu": settings.quota.requestsCpu,
        "requests.memory": settings.quota.requestsMemory,
        "limits.cpu": settings.quota.limitsCpu,
        "limits.memory": settings.quota.limitsMemory,
      },
    },
  };
  const limitRange = {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: { name: "claude-k8s-agents", namespace, labels: { ...labels } },
    spec: {
      limits: [
        {
          type: "Container",
          defaultRequest: { cpu: DEFAULT_RESOURCES.requests.cpu, memory: DEFAULT_RESOURCES.requests.memory },
          default: { cpu: DEFAULT_RESOURCES.limits.cpu, memory: DEFAULT_RESOURCES.limits.memory },
          max: { cpu: settings.containerMax.cpu, memory: settings.containerMax.memory },
        },
      ],
    },
  };
  const claim = settings.workspaceClaim;
  const workspaceClaim = claim && {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: claim.name, namespace, labels: { ...labels } },
    spec: {
      accessModes: ["ReadWriteMany"],
      ...(claim.storageClassName !== undefined ? { storageClassName: claim.storageClassName } : {}),
      resources: { requests: { storage: claim.size } },
    },
  };
  return [namespaceObject, ...rbac, networkPolicy, resourceQuota, limitRange, ...(workspaceClaim ? [workspaceClaim] : [])];
}

/**
 * How to create the credentials Secret the bundle refers to: a command that reads each value
 * from the operator's own environment, so no value is ever written into the bundle.
 */
export function credentialsSecretCommand(settings: Pick<InstallBundleSettings, "namespace" | "credentialsSecret">): string {
  const literals = settings.credentialsSecret.keys.map((key) => `--from-literal=${key}="$${key}"`).join(" ");
  return `kubectl -n ${settings.namespace} create secret generic ${settings.credentialsSecret.name} ${literals}`;
}
