import { readFileSync } from "node:fs";
import path from "node:path";
import { renderYaml } from "@claude-k8s/manifest";
import { describe, expect, it } from "vitest";
import { rbacManifests } from "./rbac.ts";
import { REQUIRED_PERMISSIONS } from "./test-environment.ts";

describe("rbacManifests", () => {
  it("grants exactly the verbs testEnvironment checks, on namespaced resources only", () => {
    const [, role] = rbacManifests({ namespace: "agents" });
    const granted = new Set(role.rules.flatMap((rule) => rule.resources.flatMap((resource) => rule.verbs.map((verb) => `${rule.apiGroups[0]}|${resource}|${verb}`))));
    const required = new Set(REQUIRED_PERMISSIONS.flatMap((permission) => permission.verbs.map((verb) => `${permission.group}|${permission.subresource ? `${permission.resource}/${permission.subresource}` : permission.resource}|${verb}`)));
    expect(granted).toEqual(required);
    expect(JSON.stringify(role)).not.toContain('"*"');
  });

  it("is what the README shows", () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, "../README.md"), "utf8");
    const block = /<!-- rbac:start -->\n```yaml\n([\s\S]*?)```\n<!-- rbac:end -->/.exec(readme)?.[1];
    expect(block, "README.md needs the RBAC block between <!-- rbac:start --> and <!-- rbac:end -->").toBeDefined();
    expect(block).toBe(rbacManifests({ namespace: "paperclip-agents" }).map((manifest) => renderYaml(manifest)).join("---\n"));
  });
});
