// deploy/helm/claude-k8s-agents renders the same objects as `claude-k8s manifests` for the same settings,
// with a real helm (deploy/helm/build-helm.sh builds it once from Go modules; `./dev test`
// runs that first), and `helm lint` is clean.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { manifestsCommand } from "./manifests-command.ts";

const deployDir = path.resolve(import.meta.dirname, "../../../../deploy/helm");
const chart = path.join(deployDir, "claude-k8s-agents");
const helm = execFileSync(path.join(deployDir, "build-helm.sh"), ["--print-bin"], { encoding: "utf8" }).trim();
// helm's own caches and config, kept out of the checkout and the user's home.
const helmHome = path.join(path.dirname(path.dirname(helm)), "home");

type K8sObject = { kind: string; metadata: { name: string; namespace?: string } };
const byIdentity = (objects: K8sObject[]) => [...objects].sort((a, b) => `${a.kind}/${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.namespace}/${b.metadata.name}`));
const parseYaml = (text: string) =>
  parseAllDocuments(text)
    .map((document) => document.toJSON())
    .filter((object) => object !== null) as K8sObject[];

function helmRun(args: string[]) {
  const result = spawnSync(helm, args, { encoding: "utf8", env: { ...process.env, HELM_CACHE_HOME: path.join(helmHome, "cache"), HELM_CONFIG_HOME: path.join(helmHome, "config"), HELM_DATA_HOME: path.join(helmHome, "data") } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function helmTemplate(setArgs: string[]): K8sObject[] {
  const result = helmRun(["template", "agents", chart, "--namespace", "default", ...setArgs]);
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return parseYaml(result.stdout);
}

function manifests(argv: string[]): K8sObject[] {
  const out: string[] = [];
  manifestsCommand([...argv, "-o", "json"], { out: (text) => void out.push(text), err: () => undefined });
  return JSON.parse(out.join("")).items;
}

describe.skipIf(!existsSync(helm) && !process.env.CI)("the Helm chart", () => {
  it("has a helm to run (./dev test builds it: deploy/helm/build-helm.sh)", () => {
    expect(existsSync(helm), `no helm at ${helm}: run deploy/helm/build-helm.sh`).toBe(true);
  });

  it("renders what claude-k8s manifests prints, with the defaults", () => {
    expect(byIdentity(helmTemplate([]))).toEqual(byIdentity(manifests([])));
  });

  it("renders what claude-k8s manifests prints, every setting changed", () => {
    const fromHelm = helmTemplate([
      "--set", "namespace=team-agents",
      "--set", "serviceAccount.name=pc-server",
      "--set", "serviceAccount.namespace=paperclip",
      "--set", "modelApi.cidrs={10.20.0.0/16,2001:db8::/32}",
      "--set", "modelApi.port=8443",
      "--set", "paperclipApi.namespace=pc-ui",
      "--set-string", "paperclipApi.podSelector.app=paperclip",
      "--set", "paperclipApi.cidrs={192.168.10.0/24}",
      "--set", "paperclipApi.port=8080",
      "--set", "dns.namespace=dns",
      "--set-string", "dns.podSelector.k8s-app=coredns",
      "--set", "quota.pods=3",
      "--set-string", "quota.requestsCpu=2500m",
      "--set-string", "quota.requestsMemory=6Gi",
      "--set-string", "quota.limitsCpu=12",
      "--set-string", "quota.limitsMemory=24Gi",
      "--set-string", "containerMax.cpu=6",
      "--set-string", "containerMax.memory=12Gi",
      "--set", "workspaceClaim.name=shared",
      "--set-string", "workspaceClaim.size=20Gi",
      "--set", "workspaceClaim.storageClassName=nfs-client",
      "--set", "credentialsSecret.name=model-creds",
    ]);
    // --set merges maps: replace the default Paperclip selector rather than add to it.
    const fromCli = manifests([
      "--namespace", "team-agents", "--service-account", "pc-server", "--server-namespace", "paperclip",
      "--model-api-cidr", "10.20.0.0/16", "--model-api-cidr", "2001:db8::/32", "--model-api-port", "8443",
      "--paperclip-namespace", "pc-ui", "--paperclip-selector", "app.kubernetes.io/name=paperclip,app=paperclip", "--paperclip-cidr", "192.168.10.0/24", "--paperclip-port", "8080",
      "--dns-namespace", "dns", "--dns-selector", "k8s-app=coredns",
      "--max-pods", "3", "--requests-cpu", "2500m", "--requests-memory", "6Gi", "--limits-cpu", "12", "--limits-memory", "24Gi",
      "--container-max-cpu", "6", "--container-max-memory", "12Gi",
      "--workspace-claim", "shared", "--workspace-size", "20Gi", "--storage-class", "nfs-client",
      "--credentials-secret", "model-creds",
    ]);
    expect(byIdentity(fromHelm)).toEqual(byIdentity(fromCli));
    expect(byIdentity(helmTemplate(["--set", "workspaceClaim.enabled=false"]))).toEqual(byIdentity(manifests(["--no-workspace-claim"])));
  });

  it("refuses bad values naming the value and a good example", () => {
    const cases: [string[], RegExp][] = [
      [["--set", "namespace=Bad_NS"], /namespace "Bad_NS" is not a DNS-1123 label.*e\.g\. namespace: paperclip-agents/],
      [["--set", "modelApi.cidrs={10.0.0.0}"], /modelApi\.cidrs "10\.0\.0\.0" is not a CIDR, e\.g\./],
      [["--set", "paperclipApi.port=70000"], /paperclipApi\.port 70000 is not a TCP port/],
      [["--set-string", "quota.requestsMemory=lots"], /quota\.requestsMemory "lots" is not a positive Kubernetes quantity.*e\.g\. quota\.requestsMemory: 16Gi/],
      [["--set", "credentialsSecret.name=Creds!"], /credentialsSecret\.name "Creds!" is not a DNS-1123 name/],
    ];
    for (const [args, message] of cases) {
      const result = helmRun(["template", "agents", chart, ...args]);
      expect(result.status, args.join(" ")).not.toBe(0);
      expect(result.stderr).toMatch(message);
    }
  });

  it("helm lint is clean", () => {
    const result = helmRun(["lint", "--strict", chart]);
    expect(result.stdout + result.stderr).toContain("0 chart(s) failed");
    // Only helm's [INFO] notes (an icon is recommended) may remain.
    expect(result.stdout + result.stderr).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(result.status).toBe(0);
  });
});
