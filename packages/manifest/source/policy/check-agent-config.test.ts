import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { requireAdapterConfig } from "../config/parse-adapter-config.ts";
import { ManifestError } from "../errors.ts";
import { enforceAgentPolicy, findPolicyViolations } from "./check-agent-config.ts";
import { defaultAgentPolicy, GOVERNED_KEYS, operatorConfigPolicy, parseOperatorPolicy } from "./operator-policy.ts";

const facts = { serverNamespace: "paperclip", serverClaim: "paperclip-data" };
const config = (raw: Record<string, unknown>) => requireAdapterConfig(raw).config;
const refused = (raw: Record<string, unknown>, env: Record<string, string> = {}) =>
  findPolicyViolations(config(raw), parseOperatorPolicy(env), facts).map((violation) => violation.path);

/** A hostile agent writes each dangerous key into a new hire's config. */
const hostile: [string, Record<string, unknown>][] = [
  ["kubeconfig", { kubeconfig: "/var/run/secrets/kubernetes.io/serviceaccount/token" }],
  ["namespace", { namespace: "kube-system" }],
  ["automountServiceAccountToken", { serviceAccountName: "paperclip", automountServiceAccountToken: true }],
  ["inheritSecretVolumes[0]", { inheritSecretVolumes: ["paperclip-secrets"] }],
  ["priorityClassName", { priorityClassName: "system-cluster-critical" }],
  ["tolerations[0]", { tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }] }],
  ["tolerations[0]", { tolerations: [{ operator: "Exists" }] }],
  ["nodeSelector", { nodeSelector: { "kubernetes.io/hostname": "control-plane-1" } }],
  ["workspaceVolumeClaim", { workspaceVolumeClaim: "postgres-data" }],
  // Another agent's own volume, by its deterministic name.
  ["workspaceVolumeClaim", { workspaceVolumeClaim: "ck8s-agent-victim-0123456789abcdef" }],
  // A static class could bind the claim to a released volume with someone else's data.
  ["agentVolumeStorageClass", { agentVolumeStorageClass: "manual-retained" }],
  ["serverMountPath", { serverMountPath: "/" }],
  ["fsGroup", { fsGroup: 999 }],
  ["inheritEnv[0]", { inheritEnv: ["AWS_*"] }],
];

describe("the operator's policy for agent config", () => {
  it.each(hostile)("refuses %s by default", (path, raw) => {
    expect(refused(raw)).toEqual([path]);
  });

  it("lets agent config repeat the server's own namespace and claim, and choose image and ServiceAccount", () => {
    expect(refused({ namespace: "paperclip", workspaceVolumeClaim: "paperclip-data", image: "ghcr.io/acme/agent:1", serviceAccountName: "agent", tolerations: [], nodeSelector: {} })).toEqual([]);
  });

  it("allows what the operator lists, by name or pattern, and nothing else", () => {
    const env = {
      CLAUDE_K8S_ALLOW_NAMESPACE: "agents, team-*",
      CLAUDE_K8S_ALLOW_KUBECONFIG: "/etc/paperclip/kubeconfigs/*",
      CLAUDE_K8S_ALLOW_TOKEN_AUTOMOUNT: "paperclip-agent",
      CLAUDE_K8S_ALLOW_TOLERATION: "pool",
      CLAUDE_K8S_ALLOW_NODE_SELECTOR: "pool=agents",
      CLAUDE_K8S_ALLOW_IMAGE: "ghcr.io/acme/*",
    };
    expect(refused({ namespace: "team-a", kubeconfig: "/etc/paperclip/kubeconfigs/prod", tolerations: [{ key: "pool", operator: "Exists" }], nodeSelector: { pool: "agents" } }, env)).toEqual([]);
    expect(refused({ serviceAccountName: "paperclip-agent", automountServiceAccountToken: true, image: "ghcr.io/acme/agent:2" }, env)).toEqual([]);
    expect(refused({ namespace: "paperclip" }, env)).toEqual(["namespace"]); // the list replaces the default
    expect(refused({ image: "docker.io/evil/agent:1" }, env)).toEqual(["image"]);
    expect(refused({ tolerations: [{ operator: "Exists" }] }, env)).toEqual(["tolerations[0]"]);
    expect(refused({ automountServiceAccountToken: true }, env)).toEqual(["automountServiceAccountToken"]); // "default" is not listed
  });

  it("governs nothing for the operator's own config (the CLI)", () => {
    for (const [, raw] of hostile) expect(findPolicyViolations(config(raw), operatorConfigPolicy, facts)).toEqual([]);
  });

  it("names the key, the kind of value and the variable, never the value", () => {
    const secretish = "ghp_NOT_TO_BE_PRINTED";
    let error: unknown;
    try {
      enforceAgentPolicy(config({ namespace: "kube-system", kubeconfig: `/tmp/${secretish}`, inheritEnv: [`${secretish}_*`] }), defaultAgentPolicy, facts);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ManifestError);
    const { code, message } = error as ManifestError;
    expect(code).toBe("k8s_config_forbidden");
    expect(message).not.toContain(secretish);
    expect(message).not.toContain("kube-system");
    for (const variable of ["CLAUDE_K8S_ALLOW_NAMESPACE", "CLAUDE_K8S_ALLOW_KUBECONFIG", "CLAUDE_K8S_ALLOW_INHERIT_ENV"]) expect(message).toContain(variable);
    expect(message).toMatch(/namespace: a namespace name/);
    expect(message).toMatch(/kubeconfig: a kubeconfig path/);
  });

  it("never puts an agent's value in the message, whatever it is (property)", () => {
    const keys = ["namespace", "image", "serviceAccountName", "priorityClassName", "workspaceVolumeClaim"] as const;
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.stringMatching(/^[a-z][a-z0-9-]{6,30}[a-z0-9]$/), (key, value) => {
        const env = { CLAUDE_K8S_ALLOW_IMAGE: "", CLAUDE_K8S_ALLOW_SERVICE_ACCOUNT: "" };
        const violations = findPolicyViolations(config({ [key]: value }), parseOperatorPolicy(env), facts);
        if (value === facts.serverNamespace || value === facts.serverClaim) return;
        expect(violations.map((violation) => violation.path)).toEqual([key]);
        try {
          enforceAgentPolicy(config({ [key]: value }), parseOperatorPolicy(env), facts);
        } catch (error) {
          expect((error as Error).message).not.toContain(value);
          expect((error as Error).message).toContain(GOVERNED_KEYS[key].variable);
        }
      }),
    );
  });

  it("refuses a policy variable it cannot read, naming it", () => {
    expect(() => parseOperatorPolicy({ CLAUDE_K8S_ALLOW_NAMESPACE: "agents,team a" })).toThrow(/CLAUDE_K8S_ALLOW_NAMESPACE: expected comma-separated names/);
    expect(() => parseOperatorPolicy({ CLAUDE_K8S_INHERIT_ENV: "OTEL_*,1BAD" })).toThrow(/CLAUDE_K8S_INHERIT_ENV: expected env names/);
    expect(parseOperatorPolicy({ CLAUDE_K8S_INHERIT_ENV: "OTEL_*, GIT_AUTHOR_NAME" }).inheritEnv).toEqual(["OTEL_*", "GIT_AUTHOR_NAME"]);
  });
});

describe("Secrets named by credential references", () => {
  it("are refused by default, allowed by CLAUDE_K8S_ALLOW_ENV_SECRETS, and never a run's own Secret", () => {
    expect(refused({ envFromSecrets: ["anthropic-credentials"] })).toEqual(["envFromSecrets[0]"]);
    const env = { CLAUDE_K8S_ALLOW_ENV_SECRETS: "*" };
    expect(refused({ envFromSecrets: ["anthropic-credentials"], envSecretKeyRefs: { GH_TOKEN: "github/token" } }, env)).toEqual([]);
    // Another agent's per-run Secret holds its Paperclip token: not even `*` reaches it.
    expect(refused({ envSecretKeyRefs: { STOLEN: "ac-ceo-run1-0123456789ab-run/env.PAPERCLIP_API_KEY" } }, env)).toEqual(["envSecretKeyRefs.STOLEN"]);
    expect(refused({ envFromSecrets: ["ac-ceo-run1-0123456789ab-run"] }, env)).toEqual(["envFromSecrets[0]"]);
  });
});
