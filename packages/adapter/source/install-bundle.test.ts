import { readFileSync } from "node:fs";
import path from "node:path";
import { renderYaml } from "@claude-k8s/manifest";
import { describe, expect, it } from "vitest";
import { credentialsSecretCommand, DEFAULT_BUNDLE_SETTINGS, installBundle } from "./install-bundle.ts";
import { rbacManifests } from "./rbac.ts";

const chartDir = path.resolve(import.meta.dirname, "../../../deploy/helm/claude-k8s-agents");

describe("installBundle", () => {
  it("the Helm chart's Role rules are the adapter's one permission list", () => {
    const [, role] = rbacManifests({ namespace: "x" });
    expect(readFileSync(path.join(chartDir, "files/role-rules.yaml"), "utf8")).toBe(renderYaml({ rules: role.rules }));
  });

  it("the chart's defaults are the command's defaults", () => {
    const values = readFileSync(path.join(chartDir, "values.yaml"), "utf8");
    const d = DEFAULT_BUNDLE_SETTINGS;
    for (const expected of [`namespace: ${d.namespace}`, `name: ${d.serviceAccountName}`, `port: ${d.modelApi.port}`, `port: ${d.paperclipApi.port}`, `pods: ${d.quota.pods}`, `requestsMemory: ${d.quota.requestsMemory}`, `limitsMemory: ${d.quota.limitsMemory}`, `memory: ${d.containerMax.memory}`, `size: ${d.workspaceClaim?.size}`, `name: ${d.credentialsSecret.name}`, ...d.modelApi.cidrs.map((cidr) => `- ${cidr}`)]) {
      expect(values).toContain(expected);
    }
  });

  it("never holds a Secret; the credentials are named, with a command that takes values from the environment", () => {
    expect(installBundle(DEFAULT_BUNDLE_SETTINGS).map((object) => object.kind)).not.toContain("Secret");
    expect(credentialsSecretCommand({ namespace: "ns", credentialsSecret: { name: "creds", keys: ["A", "B"] } })).toBe('kubectl -n ns create secret generic creds --from-literal=A="$A" --from-literal=B="$B"');
  });
});
