import { isIPv4, isIPv6 } from "node:net";
import { parseArgs } from "node:util";
import { DEFAULT_RESOURCES, renderYaml } from "@claude-k8s/manifest";
import { credentialsSecretCommand, DEFAULT_BUNDLE_SETTINGS, type InstallBundleSettings, installBundle } from "../install-bundle.ts";
import { UsageError } from "./args.ts";

const d = DEFAULT_BUNDLE_SETTINGS;
const defaultLimits = { cpu: DEFAULT_RESOURCES.limits.cpu ?? "4000m", memory: DEFAULT_RESOURCES.limits.memory ?? "8Gi" };
const selectorText = (selector: Record<string, string>) =>
  Object.entries(selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");

export const manifestsHelp = `usage: claude-k8s manifests [options] [-o yaml|json]

Prints the install bundle for one Job namespace (apply it with kubectl apply --server-side):
Namespace (Pod Security restricted: enforce, audit, warn), ServiceAccount, Role and
RoleBinding for the adapter (exactly the permissions testEnvironment checks), a
NetworkPolicy (agent pods: no ingress; egress only to DNS, the model API and Paperclip),
ResourceQuota, LimitRange, an example ReadWriteMany workspace claim, and how to create the
credentials Secret (its name and keys; never a value). Nothing is sent to a cluster.

  --namespace NAME              the Job namespace, dedicated to agents (${d.namespace})
  --service-account NAME        the Paperclip server's ServiceAccount (${d.serviceAccountName})
  --server-namespace NAME       where the Paperclip server runs (default: --namespace)
  --model-api-cidr CIDR         model API address range, repeatable
                                (default: ${d.modelApi.cidrs.join(" and ")}, the inbound ranges
                                Anthropic publishes for api.anthropic.com; check its IP
                                addresses page, and give your proxy's or gateway's instead)
  --model-api-port PORT         model API TCP port (${d.modelApi.port})
  --paperclip-namespace NAME    namespace of the Paperclip pods (default: --server-namespace)
  --paperclip-selector K=V,...  labels of the Paperclip pods (${selectorText(d.paperclipApi.podSelector)})
  --paperclip-cidr CIDR         Paperclip address range when it runs outside the cluster, repeatable
  --paperclip-port PORT         Paperclip API TCP port (${d.paperclipApi.port})
  --dns-namespace NAME          namespace of the cluster DNS (${d.dns.namespace})
  --dns-selector K=V,...        labels of the cluster DNS pods (${selectorText(d.dns.podSelector)})
  --max-pods N                  agent pods at once, quota (${d.quota.pods})
  --requests-cpu Q              quota on summed CPU requests (${d.quota.requestsCpu})
  --requests-memory Q           quota on summed memory requests (${d.quota.requestsMemory})
  --limits-cpu Q                quota on summed CPU limits (${d.quota.limitsCpu})
  --limits-memory Q             quota on summed memory limits (${d.quota.limitsMemory})
  --container-max-cpu Q         largest CPU limit of one container (${d.containerMax.cpu})
  --container-max-memory Q      largest memory limit of one container (${d.containerMax.memory})
  --workspace-claim NAME        the example ReadWriteMany claim (${d.workspaceClaim?.name})
  --workspace-size Q            its size (${d.workspaceClaim?.size})
  --storage-class NAME          its storage class (default: the cluster's default class)
  --no-workspace-claim          leave the claim out (you bring your own)
  --credentials-secret NAME     the credentials Secret you create (${d.credentialsSecret.name})
  --credentials-key KEY         a key it holds, repeatable (${d.credentialsSecret.keys.join(", ")})
  -o, --output FMT              yaml (default) or json (a v1 List)
`;

const options = {
  namespace: { type: "string" },
  "service-account": { type: "string" },
  "server-namespace": { type: "string" },
  "model-api-cidr": { type: "string", multiple: true },
  "model-api-port": { type: "string" },
  "paperclip-namespace": { type: "string" },
  "paperclip-selector": { type: "string" },
  "paperclip-cidr": { type: "string", multiple: true },
  "paperclip-port": { type: "string" },
  "dns-namespace": { type: "string" },
  "dns-selector": { type: "string" },
  "max-pods": { type: "string" },
  "requests-cpu": { type: "string" },
  "requests-memory": { type: "string" },
  "limits-cpu": { type: "string" },
  "limits-memory": { type: "string" },
  "container-max-cpu": { type: "string" },
  "container-max-memory": { type: "string" },
  "workspace-claim": { type: "string" },
  "workspace-size": { type: "string" },
  "storage-class": { type: "string" },
  "no-workspace-claim": { type: "boolean" },
  "credentials-secret": { type: "string" },
  "credentials-key": { type: "string", multiple: true },
  output: { type: "string", short: "o" },
  help: { type: "boolean", short: "h" },
} as const;

/** `claude-k8s manifests`: bad input is a UsageError naming the flag, the value and a good example. */
export function manifestsCommand(argv: readonly string[], io: { out: (text: string) => void; err: (text: string) => void }): number {
  let values: FlagValues;
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    io.out(manifestsHelp);
    return 0;
  }
  const output = values.output ?? "yaml";
  if (output !== "yaml" && output !== "json") throw new UsageError(`-o must be yaml or json, not ${JSON.stringify(output)}`);
  const settings = bundleSettingsFromFlags(values);
  const objects = installBundle(settings);
  const howToCreateSecret = credentialsSecretCommand(settings);
  if (output === "json") {
    io.out(`${JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }, null, 2)}\n`);
    io.err(`Create the credentials Secret yourself (values from your environment, never from this bundle):\n  ${howToCreateSecret}\n`);
    return 0;
  }
  const header = [
    `# claude-k8s install bundle for the Job namespace ${settings.namespace}.`,
    "# Apply: kubectl apply --server-side -f <this file>",
    "# The credentials Secret is referenced, never included. Create it yourself, values from your",
    "# shell, and name it in the agent config (envFromSecrets, allowed by CLAUDE_K8S_ALLOW_ENV_SECRETS):",
    `#   ${howToCreateSecret}`,
    `#   Secret ${settings.credentialsSecret.name}, keys: ${settings.credentialsSecret.keys.join(", ")}`,
  ].join("\n");
  io.out(`${header}\n---\n${renderYaml(objects)}`);
  return 0;
}

type FlagValues = { [K in keyof typeof options]?: (typeof options)[K] extends { multiple: true } ? string[] : (typeof options)[K]["type"] extends "boolean" ? boolean : string };

/** Flags to settings, defaults filled in; every value checked the way the API server would. */
export function bundleSettingsFromFlags(values: FlagValues): InstallBundleSettings {
  const namespace = checked("namespace", values.namespace, d.namespace, isDns1123Label, "paperclip-agents");
  const serverNamespace = checked("server-namespace", values["server-namespace"], namespace, isDns1123Label, "paperclip");
  const claimName = checked("workspace-claim", values["workspace-claim"], d.workspaceClaim?.name ?? "paperclip-workspace", isDns1123Subdomain, "paperclip-workspace");
  const storageClass = values["storage-class"] === undefined ? undefined : checked("storage-class", values["storage-class"], "", isDns1123Subdomain, "nfs-client");
  const workspaceSize = quantity("workspace-size", values["workspace-size"], d.workspaceClaim?.size ?? "100Gi", "100Gi");
  if (values["no-workspace-claim"] && (values["workspace-claim"] !== undefined || values["workspace-size"] !== undefined || values["storage-class"] !== undefined)) {
    throw new UsageError("--no-workspace-claim leaves the claim out: drop --workspace-claim, --workspace-size and --storage-class, or drop --no-workspace-claim");
  }
  const credentialKeys = values["credentials-key"] ?? d.credentialsSecret.keys;
  for (const key of credentialKeys) checked("credentials-key", key, "", isCredentialKey, "ANTHROPIC_API_KEY");
  if (new Set(credentialKeys).size !== credentialKeys.length) throw new UsageError(`--credentials-key: each key once (got ${credentialKeys.join(", ")})`);
  const containerMax = {
    cpu: quantity("container-max-cpu", values["container-max-cpu"], d.containerMax.cpu, "4"),
    memory: quantity("container-max-memory", values["container-max-memory"], d.containerMax.memory, "8Gi"),
  };
  // The LimitRange gives containers without resources the adapter's default limits; the API
  // server refuses a LimitRange whose default exceeds its max.
  if (quantityValue(containerMax.cpu) < quantityValue(defaultLimits.cpu)) {
    throw new UsageError(`--container-max-cpu ${containerMax.cpu} is below the adapter's default CPU limit ${defaultLimits.cpu}: give at least ${defaultLimits.cpu}, e.g. --container-max-cpu 4`);
  }
  if (quantityValue(containerMax.memory) < quantityValue(defaultLimits.memory)) {
    throw new UsageError(`--container-max-memory ${containerMax.memory} is below the adapter's default memory limit ${defaultLimits.memory}: give at least ${defaultLimits.memory}, e.g. --container-max-memory 8Gi`);
  }
  return {
    namespace,
    serviceAccountName: checked("service-account", values["service-account"], d.serviceAccountName, isDns1123Subdomain, "paperclip-claude-k8s"),
    serviceAccountNamespace: serverNamespace,
    modelApi: {
      cidrs: (values["model-api-cidr"] ?? d.modelApi.cidrs).map((cidr) => checkedCidr("model-api-cidr", cidr)),
      port: port("model-api-port", values["model-api-port"], d.modelApi.port),
    },
    paperclipApi: {
      namespace: checked("paperclip-namespace", values["paperclip-namespace"], serverNamespace, isDns1123Label, "paperclip"),
      podSelector: selector("paperclip-selector", values["paperclip-selector"], d.paperclipApi.podSelector, "app.kubernetes.io/name=paperclip"),
      cidrs: (values["paperclip-cidr"] ?? []).map((cidr) => checkedCidr("paperclip-cidr", cidr)),
      port: port("paperclip-port", values["paperclip-port"], d.paperclipApi.port),
    },
    dns: {
      namespace: checked("dns-namespace", values["dns-namespace"], d.dns.namespace, isDns1123Label, "kube-system"),
      podSelector: selector("dns-selector", values["dns-selector"], d.dns.podSelector, "k8s-app=kube-dns"),
    },
    quota: {
      pods: positiveInteger("max-pods", values["max-pods"], d.quota.pods),
      requestsCpu: quantity("requests-cpu", values["requests-cpu"], d.quota.requestsCpu, "8"),
      requestsMemory: quantity("requests-memory", values["requests-memory"], d.quota.requestsMemory, "16Gi"),
      limitsCpu: quantity("limits-cpu", values["limits-cpu"], d.quota.limitsCpu, "32"),
      limitsMemory: quantity("limits-memory", values["limits-memory"], d.quota.limitsMemory, "64Gi"),
    },
    containerMax,
    workspaceClaim: values["no-workspace-claim"] ? undefined : { name: claimName, size: workspaceSize, ...(storageClass !== undefined ? { storageClassName: storageClass } : {}) },
    credentialsSecret: {
      name: checked("credentials-secret", values["credentials-secret"], d.credentialsSecret.name, isDns1123Subdomain, "claude-k8s-credentials"),
      keys: [...credentialKeys],
    },
  };
}

function checked(flag: string, value: string | undefined, fallback: string, valid: (text: string) => boolean, example: string): string {
  if (value === undefined) return fallback;
  if (!valid(value)) throw new UsageError(`--${flag} ${JSON.stringify(value)} is not valid: ${describeRule(valid)}, e.g. --${flag} ${example}`);
  return value;
}

function describeRule(valid: (text: string) => boolean): string {
  if (valid === isDns1123Label) return "expected a DNS-1123 label (lower-case letters, digits and '-', at most 63, starting and ending alphanumeric)";
  if (valid === isDns1123Subdomain) return "expected a DNS-1123 name (lower-case letters, digits, '-' and '.', at most 253)";
  if (valid === isCredentialKey) return "expected an environment variable name that is also a Secret key (letters, digits, '_', '-', '.'; not starting with a digit)";
  return "invalid";
}

function port(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= 1 && number <= 65535)) throw new UsageError(`--${flag} ${JSON.stringify(value)} is not a TCP port (1-65535), e.g. --${flag} ${fallback}`);
  return number;
}

function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[1-9]\d{0,5}$/.test(value)) throw new UsageError(`--${flag} ${JSON.stringify(value)} is not a whole number from 1 to 999999, e.g. --${flag} ${fallback}`);
  return Number(value);
}

function quantity(flag: string, value: string | undefined, fallback: string, example: string): string {
  if (value === undefined) return fallback;
  if (!(quantityValue(value) > 0)) throw new UsageError(`--${flag} ${JSON.stringify(value)} is not a positive Kubernetes quantity (like 500m, 2, 512Mi, 8Gi), e.g. --${flag} ${example}`);
  return value;
}

function selector(flag: string, value: string | undefined, fallback: Record<string, string>, example: string): Record<string, string> {
  if (value === undefined) return { ...fallback };
  const result: Record<string, string> = {};
  for (const part of value.split(",")) {
    const equals = part.indexOf("=");
    const key = equals === -1 ? "" : part.slice(0, equals);
    const labelValue = equals === -1 ? "" : part.slice(equals + 1);
    if (!isQualifiedName(key) || !isLabelValue(labelValue) || key in result) {
      throw new UsageError(`--${flag} ${JSON.stringify(value)} is not a list of label=value pairs (each key once, valid label keys and values), e.g. --${flag} ${example}`);
    }
    result[key] = labelValue;
  }
  return result;
}

function checkedCidr(flag: string, value: string): string {
  const problem = cidrProblem(value);
  if (problem) throw new UsageError(`--${flag} ${JSON.stringify(value)} is not a CIDR: ${problem}, e.g. --${flag} 10.96.0.0/12 or --${flag} 2001:db8::/32`);
  return value;
}

// --- formats (the API server's rules) -------------------------------------------------------

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}
export function isDns1123Subdomain(value: string): boolean {
  return value.length > 0 && value.length <= 253 && value.split(".").every((part) => DNS1123_LABEL.test(part));
}
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
function isLabelValue(value: string): boolean {
  return value === "" || (value.length <= 63 && LABEL_NAME.test(value));
}
function isQualifiedName(key: string): boolean {
  const slash = key.indexOf("/");
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (slash !== -1 && !isDns1123Subdomain(key.slice(0, slash))) return false;
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
}
/** Usable as an environment variable name (envFrom) and as a Secret key. */
function isCredentialKey(key: string): boolean {
  return key.length <= 253 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key);
}

const QUANTITY = /^(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;
const FACTOR: Record<string, number> = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
/** A non-negative quantity as a number; NaN when the text is not one. */
export function quantityValue(text: string): number {
  const match = QUANTITY.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1]) * (FACTOR[match[2] ?? ""] ?? Number.NaN);
}

/** Why a CIDR would be refused (undefined when it is fine): canonical form only, as strict API servers want. */
export function cidrProblem(value: string): string | undefined {
  const slash = value.indexOf("/");
  if (slash === -1) return "no prefix length (add /32 for one IPv4 address, /128 for one IPv6 address)";
  const address = value.slice(0, slash);
  const prefixText = value.slice(slash + 1);
  const v4 = isIPv4(address);
  if (!v4 && !isIPv6(address)) return `${JSON.stringify(address)} is not an IP address`;
  const bits = v4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return `prefix length must be 0-${bits}`;
  const prefix = Number(prefixText);
  const number = v4 ? ipv4ToBigInt(address) : ipv6ToBigInt(address);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((number & hostMask) !== 0n) {
    const network = number & ~hostMask;
    return `host bits are set (the network is ${v4 ? bigIntToIpv4(network) : bigIntToIpv6(network)}/${prefix})`;
  }
  return undefined;
}

function ipv4ToBigInt(address: string): bigint {
  return address.split(".").reduce((sum, octet) => (sum << 8n) + BigInt(Number(octet)), 0n);
}
function bigIntToIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
}
function ipv6ToBigInt(address: string): bigint {
  let text = address;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail?.[1]) {
    const v4 = ipv4ToBigInt(v4Tail[1]);
    text = `${text.slice(0, -v4Tail[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = text.split("::") as [string, string | undefined];
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups];
  return groups.reduce((sum, group) => (sum << 16n) + BigInt(Number.parseInt(group, 16)), 0n);
}
function bigIntToIpv6(value: bigint): string {
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((value >> shift) & 0xffffn).toString(16));
  return groups.join(":").replace(/(^|:)0(:0)+(:|$)/, "::");
}
