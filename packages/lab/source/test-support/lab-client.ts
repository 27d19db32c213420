// Test utilities for lab end-to-end tests: API clients from the shared lab's kubeconfigs,
// throwaway namespaces, and polling for a condition of the cluster.
import { randomBytes } from "node:crypto";
import { ApiException, BatchV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { inject } from "vitest";
import { connectFaultProxy } from "../fault-proxy/client.ts";
import type { FaultProxyControls } from "../fault-proxy/controls.ts";
import "./lab-endpoints.ts";

export type LabClients = {
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  batch: BatchV1Api;
  rbac: RbacAuthorizationV1Api;
};

function clientsFor(kubeConfig: KubeConfig): LabClients {
  return {
    kubeConfig,
    core: kubeConfig.makeApiClient(CoreV1Api),
    batch: kubeConfig.makeApiClient(BatchV1Api),
    rbac: kubeConfig.makeApiClient(RbacAuthorizationV1Api),
  };
}

export function labEndpoints() {
  return inject("lab");
}

/** The image agent pods use: the Claude Code CLI and node on its PATH, reachable by uid 1000. */
export function labAgentImage(): string {
  const lab = labEndpoints();
  // A lab reused from `lab up` of an older checkout has none.
  if (!lab.agentImage) throw new Error(`the lab in ${lab.dataDir} has no agent image: restart it (./dev lab down && ./dev lab up)`);
  return lab.agentImage.image;
}

/** cluster-admin clients; `viaFaultProxy` routes them through the fault proxy. */
export function adminClients(options: { viaFaultProxy?: boolean } = {}): LabClients {
  const lab = labEndpoints();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(options.viaFaultProxy ? lab.proxiedKubeconfigPath : lab.kubeconfigPath);
  return clientsFor(kubeConfig);
}

/** Clients that authenticate with a bearer token (a ServiceAccount's), trusting the lab CA. */
export function tokenClients(token: string, options: { viaFaultProxy?: boolean } = {}): LabClients {
  const lab = labEndpoints();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: "lab", server: options.viaFaultProxy ? lab.proxyServer : lab.server, caFile: lab.caPath, skipTLSVerify: false }],
    users: [{ name: "token", token }],
    contexts: [{ name: "lab", cluster: "lab", user: "token" }],
    currentContext: "lab",
  });
  return clientsFor(kubeConfig);
}

export function faultProxy(): FaultProxyControls {
  return connectFaultProxy(labEndpoints().faultProxyControl);
}

/** Creates a namespace with a unique name; returns its name and a cleanup that deletes it. */
export async function createTestNamespace(
  prefix: string,
  labels: Record<string, string> = {},
): Promise<{ name: string; remove(): Promise<void> }> {
  const { core } = adminClients();
  const name = `${prefix}-${randomBytes(3).toString("hex")}`;
  await core.createNamespace({ body: { metadata: { name, labels } } });
  // Pods are refused until the controller manager has made the namespace's default
  // ServiceAccount; under load that takes a moment.
  await eventually(`the default ServiceAccount of ${name}`, async () => (await core.readNamespacedServiceAccount({ name: "default", namespace: name }).then(() => true, () => undefined)));
  return {
    name,
    remove: async () => {
      await core.deleteNamespace({ name, propagationPolicy: "Background" }).catch(() => {});
    },
  };
}

/** Polls `probe` until it returns a value other than undefined; fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The HTTP status of a failed client-node call (ApiException), or undefined. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** The `message` of the Kubernetes Status an ApiException carries (its body is the raw JSON text). */
export function statusMessage(error: ApiException<unknown>): string {
  const body = error.body;
  if (typeof body === "string") {
    try {
      return String((JSON.parse(body) as { message?: unknown }).message ?? body);
    } catch {
      return body;
    }
  }
  return String((body as { message?: unknown } | undefined)?.message ?? "");
}

/** Runs `call`, expecting it to fail; returns the ApiException. */
export async function expectApiError(call: () => Promise<unknown>): Promise<ApiException<unknown>> {
  try {
    await call();
  } catch (error) {
    if (error instanceof ApiException) return error;
    throw error;
  }
  throw new Error("expected the API call to fail, but it succeeded");
}

/** Names of the Jobs, pods and Secrets of one claude-k8s run still in a namespace (none, when it cleaned up). */
export async function runLeftovers(namespace: string, runId: string): Promise<string[]> {
  const { core, batch } = adminClients();
  const labelSelector = `paperclip.io/run-id=${runId}`;
  const [jobs, pods, secrets] = await Promise.all([
    batch.listNamespacedJob({ namespace, labelSelector }),
    core.listNamespacedPod({ namespace, labelSelector }),
    core.listNamespacedSecret({ namespace, labelSelector }),
  ]);
  return [...jobs.items.map((item) => `job/${item.metadata?.name}`), ...pods.items.map((item) => `pod/${item.metadata?.name}`), ...secrets.items.map((item) => `secret/${item.metadata?.name}`)];
}
