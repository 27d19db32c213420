import fc from "fast-check";
import { LimitRange } from "kubernetes-models/v1/LimitRange";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { rbacManifests } from "../rbac.ts";
import { UsageError } from "./args.ts";
import { main } from "./main.ts";
import { cidrProblem, manifestsCommand } from "./manifests-command.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed output, inspected field by field
type Loose = any;
type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: Loose; rules?: Loose; subjects?: Loose };

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = manifestsCommand(argv, { out: (text) => void out.push(text), err: (text) => void err.push(text) });
  return { status, out: out.join(""), err: err.join("") };
}

function objects(argv: string[] = []): K8sObject[] {
  const { out } = run([...argv, "-o", "json"]);
  return JSON.parse(out).items;
}

function find(items: K8sObject[], kind: string): K8sObject {
  const item = items.find((object) => object.kind === kind);
  if (!item) throw new Error(`no ${kind} in the bundle`);
  return item;
}

function usageError(argv: string[]): string {
  try {
    run(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`claude-k8s manifests ${argv.join(" ")} was accepted`);
}

const MODELS: Record<string, new (data: Loose) => { validate(): void }> = { Namespace, ServiceAccount, Role, RoleBinding, NetworkPolicy, ResourceQuota, LimitRange, PersistentVolumeClaim };

describe("claude-k8s manifests: the objects", () => {
  it("has every object of the bundle, the Namespace first, all in the Job namespace", () => {
    const items = objects(["--namespace", "team-a-agents"]);
    expect(items.map((item) => item.kind)).toEqual(["Namespace", "ServiceAccount", "Role", "RoleBinding", "NetworkPolicy", "ResourceQuota", "LimitRange", "PersistentVolumeClaim"]);
    for (const item of items.slice(1)) expect(item.metadata.namespace).toBe("team-a-agents");
  });

  it("labels the Namespace for Pod Security restricted: enforce, audit and warn", () => {
    const namespace = find(objects(), "Namespace");
    expect(namespace.metadata).toMatchObject({ name: "paperclip-agents" });
    expect(namespace.metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted" });
  });

  it("grants the Role exactly what rbacManifests (the runtime's one permission list) renders", () => {
    const items = objects(["--namespace", "agents", "--service-account", "pc", "--server-namespace", "paperclip"]);
    const [serviceAccount, role, binding] = rbacManifests({ namespace: "agents", serviceAccountName: "pc", serviceAccountNamespace: "paperclip" });
    expect(find(items, "Role").rules).toEqual(role.rules);
    expect(find(items, "ServiceAccount").metadata).toMatchObject(serviceAccount.metadata);
    expect(find(items, "RoleBinding").subjects).toEqual(binding.subjects);
    expect(find(items, "RoleBinding").spec).toBeUndefined();
  });

  it("NetworkPolicy: agent pods only, no ingress, egress only to DNS, the model API and Paperclip", () => {
    const policy = find(objects(["--model-api-cidr", "10.20.0.0/16", "--model-api-port", "8443", "--paperclip-namespace", "pc", "--paperclip-selector", "app=paperclip,tier=api", "--paperclip-cidr", "192.168.1.0/24", "--paperclip-port", "8080"]), "NetworkPolicy");
    expect(policy.spec.podSelector).toEqual({ matchLabels: { "paperclip.io/adapter-type": "claude_k8s" } });
    expect(policy.spec.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(policy.spec.ingress).toEqual([]);
    expect(policy.spec.egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
      { to: [{ ipBlock: { cidr: "10.20.0.0/16" } }], ports: [{ protocol: "TCP", port: 8443 }] },
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "pc" } }, podSelector: { matchLabels: { app: "paperclip", tier: "api" } } }, { ipBlock: { cidr: "192.168.1.0/24" } }],
        ports: [{ protocol: "TCP", port: 8080 }],
      },
    ]);
  });

  it("defaults: Anthropic's API ranges on 443, Paperclip pods in the server's namespace on 3100", () => {
    const policy = find(objects(["--server-namespace", "paperclip"]), "NetworkPolicy");
    expect(policy.spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: "160.79.104.0/23" } }, { ipBlock: { cidr: "2607:6bc0::/48" } }], ports: [{ protocol: "TCP", port: 443 }] });
    expect(policy.spec.egress[2].to[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"]).toBe("paperclip");
    expect(policy.spec.egress[2].ports).toEqual([{ protocol: "TCP", port: 3100 }]);
  });

  it("ResourceQuota and LimitRange: documented defaults, flags override; containers without resources get the adapter's defaults", () => {
    const items = objects();
    expect(find(items, "ResourceQuota").spec.hard).toEqual({ pods: "8", "requests.cpu": "8", "requests.memory": "16Gi", "limits.cpu": "32", "limits.memory": "64Gi" });
    expect(find(items, "LimitRange").spec.limits).toEqual([{ type: "Container", defaultRequest: { cpu: "1000m", memory: "2Gi" }, default: { cpu: "4000m", memory: "8Gi" }, max: { cpu: "4", memory: "8Gi" } }]);
    const custom = objects(["--max-pods", "3", "--requests-cpu", "2500m", "--requests-memory", "6Gi", "--limits-cpu", "12", "--limits-memory", "24Gi", "--container-max-cpu", "6", "--container-max-memory", "12Gi"]);
    expect(find(custom, "ResourceQuota").spec.hard).toEqual({ pods: "3", "requests.cpu": "2500m", "requests.memory": "6Gi", "limits.cpu": "12", "limits.memory": "24Gi" });
    expect(find(custom, "LimitRange").spec.limits[0].max).toEqual({ cpu: "6", memory: "12Gi" });
  });

  it("the workspace claim is ReadWriteMany, sized and classed by flags, and can be left out", () => {
    const claim = find(objects(["--workspace-claim", "shared", "--workspace-size", "20Gi", "--storage-class", "nfs-client"]), "PersistentVolumeClaim");
    expect(claim.metadata.name).toBe("shared");
    expect(claim.spec).toEqual({ accessModes: ["ReadWriteMany"], storageClassName: "nfs-client", resources: { requests: { storage: "20Gi" } } });
    expect(find(objects(), "PersistentVolumeClaim").spec.storageClassName).toBeUndefined();
    expect(objects(["--no-workspace-claim"]).map((item) => item.kind)).not.toContain("PersistentVolumeClaim");
  });

  it("the credentials Secret is referenced by name and keys, never included, never with a value", () => {
    const yaml = run(["--credentials-secret", "model-creds", "--credentials-key", "ANTHROPIC_API_KEY", "--credentials-key", "CLAUDE_CODE_OAUTH_TOKEN"]);
    expect(yaml.out).toContain("#   Secret model-creds, keys: ANTHROPIC_API_KEY, CLAUDE_CODE_OAUTH_TOKEN");
    expect(yaml.out).toContain(`kubectl -n paperclip-agents create secret generic model-creds --from-literal=ANTHROPIC_API_KEY="$ANTHROPIC_API_KEY" --from-literal=CLAUDE_CODE_OAUTH_TOKEN="$CLAUDE_CODE_OAUTH_TOKEN"`);
    const documents = parseAllDocuments(yaml.out).map((document) => document.toJSON()).filter(Boolean);
    expect(documents.map((document) => document.kind)).not.toContain("Secret");
    const json = run(["-o", "json", "--credentials-secret", "model-creds"]);
    expect(JSON.parse(json.out).items.map((item: K8sObject) => item.kind)).not.toContain("Secret");
    expect(json.err).toContain("create secret generic model-creds");
  });

  it("YAML and JSON carry the same objects", () => {
    const argv = ["--namespace", "x", "--paperclip-cidr", "2001:db8::/32"];
    const fromYaml = parseAllDocuments(run(argv).out)
      .map((document) => document.toJSON())
      .filter(Boolean);
    expect(fromYaml).toEqual(objects(argv));
  });

  it("is a command of the claude-k8s CLI with its own --help", async () => {
    const out: string[] = [];
    const io = { out: (text: string) => void out.push(text), err: (_text: string) => undefined, color: false };
    expect(await main(["manifests", "--help"], io)).toBe(0);
    expect(out.join("")).toContain("usage: claude-k8s manifests");
    expect(await main(["--help"], io)).toBe(0);
    expect(out.join("")).toMatch(/manifests +the install bundle/);
  });
});

describe("claude-k8s manifests: bad input names the flag and a good example", () => {
  const cases: [string[], RegExp][] = [
    [["--namespace", "Agents"], /--namespace "Agents" is not valid: expected a DNS-1123 label.*e\.g\. --namespace paperclip-agents/],
    [["--namespace", "a".repeat(64)], /--namespace .* DNS-1123 label/],
    [["--server-namespace", "pc_1"], /--server-namespace "pc_1" .*e\.g\. --server-namespace paperclip/],
    [["--service-account=-sa"], /--service-account "-sa" .*e\.g\. --service-account paperclip-claude-k8s/],
    [["--paperclip-namespace", "a.b"], /--paperclip-namespace "a\.b" .*DNS-1123 label/],
    [["--dns-namespace", ""], /--dns-namespace "" .*e\.g\. --dns-namespace kube-system/],
    [["--workspace-claim", "Work Space"], /--workspace-claim "Work Space" .*e\.g\. --workspace-claim paperclip-workspace/],
    [["--storage-class", "NFS!"], /--storage-class "NFS!" .*e\.g\. --storage-class nfs-client/],
    [["--credentials-secret", "creds/x"], /--credentials-secret "creds\/x" .*e\.g\. --credentials-secret claude-k8s-credentials/],
    [["--credentials-key", "1KEY"], /--credentials-key "1KEY" .*e\.g\. --credentials-key ANTHROPIC_API_KEY/],
    [["--credentials-key", "A", "--credentials-key", "A"], /--credentials-key: each key once/],
    [["--model-api-cidr", "10.0.0.1/8"], /--model-api-cidr "10\.0\.0\.1\/8" is not a CIDR: host bits are set \(the network is 10\.0\.0\.0\/8\), e\.g\. --model-api-cidr 10\.96\.0\.0\/12/],
    [["--model-api-cidr", "10.0.0.0"], /--model-api-cidr "10\.0\.0\.0" is not a CIDR: no prefix length/],
    [["--paperclip-cidr", "300.1.1.0/24"], /--paperclip-cidr "300\.1\.1\.0\/24" is not a CIDR: "300\.1\.1\.0" is not an IP address/],
    [["--paperclip-cidr", "10.0.0.0/33"], /--paperclip-cidr .* prefix length must be 0-32/],
    [["--paperclip-cidr", "2001:db8::1/32"], /host bits are set \(the network is 2001:db8::\/32\)/],
    [["--model-api-port", "0"], /--model-api-port "0" is not a TCP port \(1-65535\), e\.g\. --model-api-port 443/],
    [["--paperclip-port", "65536"], /--paperclip-port "65536" is not a TCP port.*e\.g\. --paperclip-port 3100/],
    [["--paperclip-port", "http"], /--paperclip-port "http" is not a TCP port/],
    [["--max-pods", "0"], /--max-pods "0" is not a whole number .*e\.g\. --max-pods 8/],
    [["--max-pods", "2.5"], /--max-pods "2\.5"/],
    [["--requests-cpu", "two"], /--requests-cpu "two" is not a positive Kubernetes quantity .*e\.g\. --requests-cpu 8/],
    [["--requests-memory", "16GB"], /--requests-memory "16GB" .*e\.g\. --requests-memory 16Gi/],
    [["--limits-cpu", "0"], /--limits-cpu "0" is not a positive/],
    [["--limits-memory=-1Gi"], /--limits-memory "-1Gi"/],
    [["--workspace-size", "lots"], /--workspace-size "lots" .*e\.g\. --workspace-size 100Gi/],
    [["--container-max-cpu", "2"], /--container-max-cpu 2 is below the adapter's default CPU limit 4000m.*--container-max-cpu 4/],
    [["--container-max-memory", "4Gi"], /--container-max-memory 4Gi is below the adapter's default memory limit 8Gi/],
    [["--container-max-memory", "8G"], /--container-max-memory 8G is below/],
    [["--paperclip-selector", "app"], /--paperclip-selector "app" is not a list of label=value pairs.*e\.g\. --paperclip-selector app\.kubernetes\.io\/name=paperclip/],
    [["--dns-selector", "k8s-app=kube dns"], /--dns-selector "k8s-app=kube dns" .*e\.g\. --dns-selector k8s-app=kube-dns/],
    [["--dns-selector", "a=1,a=2"], /--dns-selector "a=1,a=2"/],
    [["--no-workspace-claim", "--workspace-size", "1Gi"], /--no-workspace-claim leaves the claim out/],
    [["-o", "xml"], /-o must be yaml or json, not "xml"/],
    [["--namespcae", "x"], /Unknown option '--namespcae'/],
    [["extra"], /positional/],
  ];
  it.each(cases)("%j", (argv, message) => {
    expect(usageError(argv)).toMatch(message);
  });

  it("exits 2 through the CLI with the reason and the command's help", async () => {
    const err: string[] = [];
    expect(await main(["manifests", "--namespace", "Bad"], { out: () => {}, err: (text) => void err.push(text), color: false })).toBe(2);
    expect(err.join("")).toContain('--namespace "Bad" is not valid');
    expect(err.join("")).toContain("usage: claude-k8s manifests");
  });
});

// --- property: any valid flag set renders objects the Kubernetes models accept -----------------

const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
const dnsName = fc.array(dnsLabel, { minLength: 1, maxLength: 3 }).map((parts) => parts.join("."));
const labelKey = fc.tuple(fc.option(dnsName, { nil: undefined }), fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,10}[A-Za-z0-9])?$/)).map(([prefix, name]) => (prefix ? `${prefix}/${name}` : name));
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,10}[A-Za-z0-9])?)?$/);
const selectorFlag = fc.uniqueArray(fc.tuple(labelKey, labelValue), { minLength: 1, maxLength: 3, selector: ([key]) => key }).map((pairs) => pairs.map(([key, value]) => `${key}=${value}`).join(","));
const ipv4Cidr = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([address, prefix]) => {
  const value = address.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0);
  const network = prefix === 0 ? 0 : Math.floor(value / 2 ** (32 - prefix)) * 2 ** (32 - prefix);
  return `${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join(".")}/${prefix}`;
});
const ipv6Cidr = fc.tuple(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 3, maxLength: 3 }), fc.integer({ min: 16, max: 48 })).map(([groups, prefix]) => {
  const value = groups.reduce((sum, group) => (sum << 16n) + BigInt(group), 0n) << 80n;
  const network = (value >> BigInt(128 - prefix)) << BigInt(128 - prefix);
  const text = [112n, 96n, 80n].map((shift) => ((network >> shift) & 0xffffn).toString(16)).join(":");
  return `${text}::/${prefix}`;
});
const cidr = fc.oneof(ipv4Cidr, ipv6Cidr);
const portFlag = fc.integer({ min: 1, max: 65535 }).map(String);
const cpu = fc.oneof(fc.integer({ min: 1, max: 64 }).map(String), fc.integer({ min: 1, max: 64_000 }).map((milli) => `${milli}m`));
const memory = fc.tuple(fc.integer({ min: 1, max: 512 }), fc.constantFrom("Mi", "Gi", "M", "G")).map(([n, unit]) => `${n}${unit}`);
const bigCpu = fc.integer({ min: 4, max: 64 }).map(String);
const bigMemory = fc.integer({ min: 8, max: 256 }).map((n) => `${n}Gi`);
const envKey = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,20}$/);

const flagSet = fc.record(
  {
    namespace: dnsLabel,
    "service-account": dnsName,
    "server-namespace": dnsLabel,
    "model-api-cidr": fc.array(cidr, { minLength: 1, maxLength: 3 }),
    "model-api-port": portFlag,
    "paperclip-namespace": dnsLabel,
    "paperclip-selector": selectorFlag,
    "paperclip-cidr": fc.array(cidr, { minLength: 1, maxLength: 2 }),
    "paperclip-port": portFlag,
    "dns-namespace": dnsLabel,
    "dns-selector": selectorFlag,
    "max-pods": fc.integer({ min: 1, max: 500 }).map(String),
    "requests-cpu": cpu,
    "requests-memory": memory,
    "limits-cpu": cpu,
    "limits-memory": memory,
    "container-max-cpu": bigCpu,
    "container-max-memory": bigMemory,
    "workspace-claim": dnsName,
    "workspace-size": memory,
    "storage-class": dnsName,
    "credentials-secret": dnsName,
    "credentials-key": fc.uniqueArray(envKey, { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: [] },
);

export function flagsToArgv(flags: Record<string, string | string[] | undefined>): string[] {
  return Object.entries(flags).flatMap(([name, value]) => (value === undefined ? [] : (Array.isArray(value) ? value : [value]).flatMap((item) => [`--${name}`, item])));
}

describe("claude-k8s manifests: property", () => {
  it("any valid flag set renders objects that pass the Kubernetes models' validation, YAML and JSON alike", () => {
    fc.assert(
      fc.property(flagSet, fc.boolean(), (flags, noClaim) => {
        const argv = flagsToArgv(noClaim ? { ...flags, "workspace-claim": undefined, "workspace-size": undefined, "storage-class": undefined } : flags);
        if (noClaim) argv.push("--no-workspace-claim");
        const items = objects(argv);
        for (const item of items) {
          const Model = MODELS[item.kind];
          expect(Model, item.kind).toBeDefined();
          new Model!(item).validate();
        }
        expect(items.some((item) => item.kind === "PersistentVolumeClaim")).toBe(!noClaim);
        expect(
          parseAllDocuments(run(argv).out)
            .map((document) => document.toJSON())
            .filter(Boolean),
        ).toEqual(items);
      }),
      { numRuns: 40 },
    );
    // Schema validation of eight objects per case is slow on a loaded machine.
  }, 180_000);

  it("canonical CIDRs pass, and a set host bit is always refused", () => {
    fc.assert(
      fc.property(ipv4Cidr, (text) => {
        expect(cidrProblem(text)).toBeUndefined();
        const [address, prefix] = text.split("/") as [string, string];
        if (Number(prefix) < 32) {
          const octets = address.split(".").map(Number);
          octets[3] = (octets[3] ?? 0) | 1;
          expect(cidrProblem(`${octets.join(".")}/${prefix}`)).toMatch(/host bits are set/);
        }
      }),
    );
    fc.assert(
      fc.property(ipv6Cidr, (text) => {
        expect(cidrProblem(text)).toBeUndefined();
      }),
    );
  });
});
