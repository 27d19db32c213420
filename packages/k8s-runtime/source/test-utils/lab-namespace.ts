// Test utilities: a throwaway lab namespace and a KubeClient on the lab for one test file.
import { KubeConfig } from "@kubernetes/client-node";
import { createTestNamespace, labEndpoints } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { afterAll, beforeAll } from "vitest";
import { createKubeClient, type KubeClient } from "../kube/kube-client.ts";

export interface LabNamespace {
  /** Set once beforeAll has run. */
  readonly name: string;
  readonly client: KubeClient;
}

/** Registers beforeAll/afterAll that create the namespace and client, and remove both. */
export function useLabNamespace(prefix: string, options: { viaFaultProxy?: boolean } = {}): LabNamespace {
  let namespace: Awaited<ReturnType<typeof createTestNamespace>> | undefined;
  let client: KubeClient | undefined;
  beforeAll(async () => {
    namespace = await createTestNamespace(prefix);
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(options.viaFaultProxy ? labEndpoints().proxiedKubeconfigPath : labEndpoints().kubeconfigPath);
    client = await createKubeClient(kubeConfig);
  });
  afterAll(async () => {
    client?.close();
    await namespace?.remove();
  });
  return {
    get name() {
      if (!namespace) throw new Error("useLabNamespace: read .name inside a test or hook, after beforeAll");
      return namespace.name;
    },
    get client() {
      if (!client) throw new Error("useLabNamespace: read .client inside a test or hook, after beforeAll");
      return client;
    },
  };
}
