// The install bundle in the lab: `claude-k8s manifests`' objects server-side applied to a
// fresh namespace, then the adapter, as the bundle's ServiceAccount, passes its environment
// test and runs an agent (real Claude Code CLI, scripted model) in that namespace.
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type KubernetesObject, KubernetesObjectApi, PatchStrategy } from "@kubernetes/client-node";
import { startModelServer, text } from "@claude-k8s/lab/source/model-server/index.ts";
import { adminClients, eventually, labAgentImage, labEndpoints, runLeftovers } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleSettingsFromFlags } from "./cli/manifests-command.ts";
import { execute } from "./execute.ts";
import { installBundle } from "./install-bundle.ts";
import { closeRuntimes } from "./kube-access.ts";
import { testEnvironment } from "./test-environment.ts";
import { allowInOperatorPolicy } from "./test-utils/lab-agent.ts";
import { paperclipContext } from "./test-utils/paperclip-context.ts";

const namespace = `bundle-e2e-${randomBytes(3).toString("hex")}`;
// The lab has no storage provisioner: the example claim is left out (agents here use no volume).
const settings = bundleSettingsFromFlags({ namespace, "no-workspace-claim": true });
let kubeconfig = "";

beforeAll(async () => {
  const { kubeConfig, core } = adminClients();
  const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  for (const object of installBundle(settings)) {
    await objects.patch(object as KubernetesObject, undefined, undefined, "claude-k8s-e2e", true, PatchStrategy.ServerSideApply);
  }
  await eventually(`the default ServiceAccount of ${namespace}`, async () => core.readNamespacedServiceAccount({ name: "default", namespace }).then(() => true, () => undefined));
  const token = await core.createNamespacedServiceAccountToken({ name: settings.serviceAccountName, namespace, body: { spec: { expirationSeconds: 3600, audiences: [] } } });
  const lab = labEndpoints();
  kubeconfig = path.join(mkdtempSync(path.join(tmpdir(), "bundle-kubeconfig-")), "kubeconfig");
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "lab", cluster: { server: lab.proxyServer, "certificate-authority": lab.caPath } }],
      users: [{ name: settings.serviceAccountName, user: { token: token.status?.token } }],
      contexts: [{ name: "lab", context: { cluster: "lab", user: settings.serviceAccountName, namespace } }],
      "current-context": "lab",
    }),
    { mode: 0o600 },
  );
  allowInOperatorPolicy("CLAUDE_K8S_ALLOW_NAMESPACE", namespace);
  allowInOperatorPolicy("CLAUDE_K8S_ALLOW_KUBECONFIG", kubeconfig);
});

afterAll(async () => {
  await closeRuntimes();
  await adminClients()
    .core.deleteNamespace({ name: namespace, propagationPolicy: "Background" })
    .catch(() => {});
});

function agentConfig(modelUrl: string) {
  return {
    kubeconfig,
    namespace,
    // The lab's agent image: claude and node staged where uid 1000 reaches them, wherever the checkout is.
    image: labAgentImage(),
    model: "claude-sonnet-4-6",
    env: {
      ANTHROPIC_BASE_URL: modelUrl,
      ANTHROPIC_API_KEY: "sk-ant-scripted",
      CLAUDE_CODE_MAX_RETRIES: "1",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      DISABLE_AUTOUPDATER: "1",
      DISABLE_TELEMETRY: "1",
    },
    podStartTimeoutSec: 120,
  };
}

describe("the install bundle in the lab", () => {
  it("the Namespace enforces Pod Security restricted and the quota is in force", async () => {
    const { core } = adminClients();
    const ns = await core.readNamespace({ name: namespace });
    expect(ns.metadata?.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const quota = await core.readNamespacedResourceQuota({ name: "claude-k8s-agents", namespace });
    expect(quota.spec?.hard?.pods).toBe("8");
  });

  it("testEnvironment passes as the bundle's ServiceAccount, and an agent run succeeds in the namespace", async () => {
    const model = await startModelServer({ script: [text("Done inside the bundle.")] });
    try {
      const environment = await testEnvironment({ companyId: "c", adapterType: "claude_k8s", config: agentConfig(model.url) });
      expect(environment.checks.filter((check) => check.level === "error")).toEqual([]);
      expect(environment.checks.map((check) => check.code)).toContain("k8s_rbac_ok");
      const run = paperclipContext({ config: agentConfig(model.url) });
      const result = await execute(run.ctx);
      expect(result.errorMessage, JSON.stringify(run.chunks.slice(-8))).toBeUndefined();
      expect(result).toMatchObject({ exitCode: 0, timedOut: false });
      expect(result.summary).toContain("Done inside the bundle.");
      await eventually("no leftovers", async () => ((await runLeftovers(namespace, run.ctx.runId)).length === 0 ? true : undefined));
    } finally {
      await model.close();
    }
  });

  it("as the deploy guide says: the bundle's credentials Secret by reference (envFromSecrets) reaches the CLI, and nowhere else", async () => {
    // Step 3: the operator creates the Secret the bundle names and allows it; step 7 names it in the agent config.
    const key = `sk-ant-guide-${randomBytes(12).toString("hex")}`;
    await adminClients().core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: settings.credentialsSecret.name }, stringData: { [settings.credentialsSecret.keys[0]!]: key } },
    });
    allowInOperatorPolicy("CLAUDE_K8S_ALLOW_ENV_SECRETS", settings.credentialsSecret.name);
    const model = await startModelServer({ script: [text("Done with the referenced key.")] });
    try {
      const { ANTHROPIC_API_KEY: _fromConfig, ...env } = agentConfig(model.url).env;
      const config = { ...agentConfig(model.url), env, envFromSecrets: [settings.credentialsSecret.name] };
      // Step 6: doctor sees the Secret.
      const environment = await testEnvironment({ companyId: "c", adapterType: "claude_k8s", config });
      expect(environment.checks.filter((check) => check.level === "error")).toEqual([]);
      expect(environment.checks.map((check) => check.code)).toContain("k8s_env_secret_exists");
      const run = paperclipContext({ config });
      const result = await execute(run.ctx);
      expect(result.errorMessage, JSON.stringify(run.chunks.slice(-8))).toBeUndefined();
      expect(result.summary).toContain("Done with the referenced key.");
      // The CLI in the pod sent the Secret's key to the model API; the run's log never shows it.
      expect(model.requests.map((request) => request.headers["x-api-key"])).toContain(key);
      expect(run.chunks.map(({ chunk }) => chunk).join("")).not.toContain(key);
    } finally {
      await model.close();
    }
  });
});
