import { createKubeClient, KubeApiError, type KubeClient } from "@claude-k8s/k8s-runtime";
import { findPolicyViolations, type OperatorPolicy, parseAdapterConfig, policyError } from "@claude-k8s/manifest";
import { agentVolumeCheck } from "./agent-volume-check.ts";
import { resolveKubeTarget, runsInCluster } from "./kube-access.ts";
import { policyFromEnv } from "./operator-policy.ts";
import { executionPolicyCheck } from "./paperclip-execution-policy.ts";
import type { AdapterEnvironmentCheck, AdapterEnvironmentTestContext, AdapterEnvironmentTestResult } from "./paperclip-types.ts";
import { selfPodInfo } from "./self-pod.ts";
import { logFormatFromEnv } from "./server-log.ts";

/** Every permission the runtime uses, as (group, resource, subresource, verb). */
export const REQUIRED_PERMISSIONS: readonly { group: string; resource: string; subresource?: string; verbs: readonly string[] }[] = [
  { group: "batch", resource: "jobs", verbs: ["create", "get", "list", "watch", "patch", "delete"] },
  // delete: the sweep removes pods whose Job is gone.
  { group: "", resource: "pods", verbs: ["get", "list", "watch", "delete"] },
  { group: "", resource: "pods", subresource: "log", verbs: ["get"] },
  // list: the sweep looks for Secrets whose run is gone.
  { group: "", resource: "secrets", verbs: ["create", "get", "list", "update", "patch", "delete"] },
  // create/watch: an agent's own volume is made when missing and watched until it binds (never deleted by a run).
  { group: "", resource: "persistentvolumeclaims", verbs: ["create", "get", "list", "watch"] },
  // create: the adapter writes Events on its Jobs (adopted, cancelled, timed out, cleanup failed).
  { group: "", resource: "events", verbs: ["create", "list", "watch"] },
  { group: "coordination.k8s.io", resource: "leases", verbs: ["create", "get", "list", "watch", "update", "patch", "delete"] },
];

/**
 * Paperclip's "Test environment": everything a run needs, checked without starting one.
 * Each failure says what is wrong and how to fix it.
 */
export async function testEnvironment(ctx: AdapterEnvironmentTestContext): Promise<AdapterEnvironmentTestResult> {
  let policy: OperatorPolicy;
  try {
    policy = policyFromEnv();
  } catch (error) {
    const check: AdapterEnvironmentCheck = { code: "k8s_config_invalid", level: "error", message: "the operator policy in the server's environment is invalid", detail: (error as Error).message, hint: "fix the CLAUDE_K8S_* variables named above" };
    return { adapterType: ctx.adapterType, status: "fail", checks: [check], testedAt: new Date().toISOString() };
  }
  return testEnvironmentWithPolicy(ctx, policy);
}

/** testEnvironment() under a given policy: `claude-k8s doctor` passes the operator's (its config is its user's own). */
export async function testEnvironmentWithPolicy(ctx: AdapterEnvironmentTestContext, policy: OperatorPolicy): Promise<AdapterEnvironmentTestResult> {
  const checks: AdapterEnvironmentCheck[] = [];
  const result = () => ({ adapterType: ctx.adapterType, status: overallStatus(checks), checks, testedAt: new Date().toISOString() });
  const executionPolicy = executionPolicyCheck(process.env);
  if (executionPolicy) checks.push(executionPolicy);
  try {
    logFormatFromEnv(process.env);
  } catch (error) {
    checks.push({ code: "k8s_log_format_invalid", level: "error", message: "runs would be refused: the server's log format is unknown", detail: (error as Error).message, hint: "set CLAUDE_K8S_LOG_FORMAT to text or json, or unset it" });
  }

  const parsed = parseAdapterConfig(ctx.config);
  if (!parsed.ok) {
    checks.push({ code: "k8s_config_invalid", level: "error", message: "the adapter config has errors", detail: parsed.error.message, hint: "fix the keys named above in the agent's adapter config" });
    return result();
  }
  for (const warning of parsed.warnings) checks.push({ code: "k8s_config_warning", level: "warn", message: warning });
  const config = parsed.config;
  // The same policy as a run: a test of a hostile config must not load what a run may not.
  const kubeconfigViolations = findPolicyViolations(config, policy, {}).filter((violation) => violation.key === "kubeconfig");
  const kubeconfigRefused = kubeconfigViolations.length > 0 ? policyError(kubeconfigViolations).message : undefined;
  if (kubeconfigRefused !== undefined) {
    checks.push({ code: "k8s_config_forbidden", level: "error", message: "the agent config names a kubeconfig the operator's policy does not allow", detail: kubeconfigRefused, hint: "remove the kubeconfig key, or have the operator allow it (CLAUDE_K8S_ALLOW_KUBECONFIG)" });
    return result();
  }

  let client: KubeClient;
  let source: string;
  let inCluster: boolean;
  try {
    const target = resolveKubeTarget(config.kubeconfig, process.env, { fromAgentConfig: !policy.trustsConfig });
    source = target.source;
    inCluster = target.inCluster;
    client = await createKubeClient(target.kubeConfig);
  } catch (error) {
    checks.push({ code: "k8s_kubeconfig_invalid", level: "error", message: (error as Error).message, hint: "set the kubeconfig key, or KUBECONFIG, or run Paperclip in a pod with a service account" });
    return result();
  }
  try {
    const inPod = runsInCluster();
    const selfPod = inCluster ? await selfPodInfo(() => {}) : undefined;
    checks.push({ code: "k8s_identity", level: "info", message: `credentials: ${source}; ${inPod ? `running in pod namespace ${selfPod?.namespace ?? "?"}` : "not running in a pod"}` });
    const violations = findPolicyViolations(config, policy, { ...(selfPod?.namespace ? { serverNamespace: selfPod.namespace } : {}), ...(selfPod?.dataVolumeClaim ? { serverClaim: selfPod.dataVolumeClaim } : {}) });
    if (violations.length > 0) {
      checks.push({ code: "k8s_config_forbidden", level: "error", message: `runs would be refused: ${violations.map((violation) => violation.path).join(", ")} not allowed by the operator's policy`, detail: policyError(violations).message, hint: "remove those keys, or have the operator allow them (the variables are named above)" });
    }
    const namespace = config.namespace ?? selfPod?.namespace;
    if (!namespace) {
      checks.push({ code: "k8s_namespace_unknown", level: "error", message: "no Job namespace: the config has no namespace and this server does not run in a pod", hint: 'set "namespace" in the adapter config' });
      return result();
    }

    try {
      const version = await client.request<{ gitVersion?: string }>({ method: "GET", path: "/version", attempts: 2 });
      checks.push({ code: "k8s_api_reachable", level: "info", message: `API server ${client.server} answers (Kubernetes ${version.gitVersion ?? "?"})` });
    } catch (error) {
      checks.push({ code: "k8s_api_unreachable", level: "error", message: `cannot reach the API server: ${(error as Error).message}`, hint: "check the kubeconfig's server address and that the network allows it" });
      return result();
    }

    // Namespaces are cluster-scoped: a least-privilege Role cannot read them, so a 403 is not a finding.
    try {
      await client.request({ method: "GET", path: `/api/v1/namespaces/${namespace}`, attempts: 2 });
      checks.push({ code: "k8s_namespace_exists", level: "info", message: `namespace ${namespace} exists` });
    } catch (error) {
      if (error instanceof KubeApiError && error.isForbidden) checks.push({ code: "k8s_namespace_unchecked", level: "info", message: `namespace ${namespace}: not readable with this identity (not needed; the permission checks below cover it)` });
      else checks.push({ code: "k8s_namespace_missing", level: "error", message: `namespace ${namespace} does not exist`, detail: (error as Error).message, hint: `create it (kubectl create namespace ${namespace}) or set "namespace" to an existing one` });
    }

    const denied: string[] = [];
    for (const permission of REQUIRED_PERMISSIONS) {
      for (const verb of permission.verbs) {
        const allowed = await canI(client, namespace, permission.group, permission.resource, permission.subresource, verb).catch((error: unknown) => error as Error);
        const what = `${verb} ${permission.resource}${permission.subresource ? `/${permission.subresource}` : ""}${permission.group ? `.${permission.group}` : ""}`;
        const code = `k8s_rbac_${permission.resource}${permission.subresource ? `_${permission.subresource}` : ""}_${verb}`;
        if (allowed instanceof Error) checks.push({ code, level: "warn", message: `could not check "${what}" in ${namespace}: ${allowed.message}` });
        else if (!allowed) denied.push(what);
      }
    }
    if (denied.length === 0) checks.push({ code: "k8s_rbac_ok", level: "info", message: `every permission the adapter uses is granted in ${namespace}` });
    else checks.push({ code: "k8s_rbac_missing", level: "error", message: `missing permissions in ${namespace}: ${denied.join(", ")}`, hint: "apply the Role and RoleBinding from the adapter's README to this identity" });

    const claim = config.workspaceVolumeClaim ?? selfPod?.dataVolumeClaim;
    if (claim) {
      await check(checks, "k8s_pvc_exists", "k8s_pvc_missing", async () => {
        const pvc = await client.request<{ spec?: { accessModes?: string[] } }>({ method: "GET", path: `/api/v1/namespaces/${namespace}/persistentvolumeclaims/${claim}`, attempts: 2 });
        const modes = pvc.spec?.accessModes ?? [];
        if (!modes.includes("ReadWriteMany")) checks.push({ code: "k8s_pvc_not_rwx", level: "warn", message: `claim ${claim} is ${modes.join(", ") || "of no access mode"}, not ReadWriteMany: server and agent pods on different nodes cannot share it` });
        return `claim ${claim} exists in ${namespace}`;
      }, `claim ${claim} does not exist in the Job namespace ${namespace}`, "the shared volume's claim must live in the Job namespace: create it there or set workspaceVolumeClaim");
    } else {
      checks.push(await agentVolumeCheck(client, namespace, config.agentVolumeStorageClass));
    }

    for (const secret of config.imagePullSecrets ?? selfPod?.imagePullSecrets ?? []) {
      await check(checks, "k8s_image_pull_secret_exists", "k8s_image_pull_secret_missing", async () => {
        await client.request({ method: "GET", path: `/api/v1/namespaces/${namespace}/secrets/${secret}`, attempts: 2 });
        return `image pull Secret ${secret} exists`;
      }, `image pull Secret ${secret} is missing in ${namespace}`, "create it in the Job namespace, or remove it from imagePullSecrets", "warn");
    }
    // As the public adapter: secretRef names the Secret a deployment keeps its credentials in;
    // its presence is reported (a warning when the config names one), nothing reads it. Secrets the config takes env from must exist.
    await check(checks, "k8s_secret_exists", "k8s_secret_missing", async () => {
      await client.request({ method: "GET", path: `/api/v1/namespaces/${namespace}/secrets/${config.secretRef}`, attempts: 2 });
      return `Secret ${config.secretRef} (secretRef) exists in ${namespace}`;
    }, `Secret ${config.secretRef} (secretRef) is missing in ${namespace}`, "create it, or set secretRef to the Secret that holds the agents' credentials", typeof ctx.config.secretRef === "string" && ctx.config.secretRef.trim() !== "" ? "warn" : "info");
    const envSecrets = [...new Set([...config.envFromSecrets, ...Object.values(config.envSecretKeyRefs).map((ref) => ref.name)])];
    for (const secret of envSecrets) {
      await check(checks, "k8s_env_secret_exists", "k8s_env_secret_missing", async () => {
        await client.request({ method: "GET", path: `/api/v1/namespaces/${namespace}/secrets/${secret}`, attempts: 2 });
        return `Secret ${secret} (credentials by reference) exists in ${namespace}`;
      }, `Secret ${secret} (envFromSecrets / envSecretKeyRefs) is missing in ${namespace}: pods would fail with CreateContainerConfigError`, "create it in the Job namespace (kubectl create secret generic ...)");
    }
    if (!config.image && !selfPod?.image) {
      checks.push({ code: "k8s_image_unknown", level: "error", message: "no image for agent pods: the config has no image and this server does not run in a pod", hint: 'set "image" to an image that has the claude CLI' });
    }
    return result();
  } finally {
    client.close();
  }
}

async function canI(client: KubeClient, namespace: string, group: string, resource: string, subresource: string | undefined, verb: string): Promise<boolean> {
  const review = await client.request<{ status?: { allowed?: boolean } }>({
    method: "POST",
    path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
    body: { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes: { namespace, group, resource, verb, ...(subresource ? { subresource } : {}) } } },
    attempts: 2,
  });
  return review.status?.allowed === true;
}

async function check(checks: AdapterEnvironmentCheck[], okCode: string, failCode: string, probe: () => Promise<string>, failMessage: string, hint: string, level: "info" | "warn" | "error" = "error"): Promise<void> {
  try {
    checks.push({ code: okCode, level: "info", message: await probe() });
  } catch (error) {
    const detail = error instanceof KubeApiError ? `${error.status} ${error.reason}: ${error.message}` : (error as Error).message;
    checks.push({ code: failCode, level, message: failMessage, detail, hint });
  }
}

/** The worst level among the checks, as the environment test reports it. */
export function overallStatus(checks: readonly AdapterEnvironmentCheck[]): "pass" | "warn" | "fail" {
  if (checks.some((check) => check.level === "error")) return "fail";
  if (checks.some((check) => check.level === "warn")) return "warn";
  return "pass";
}
