// Helpers only the kubelet-sim end-to-end tests use: small manifests and status waits.
import type { V1Container, V1Job, V1Pod } from "@kubernetes/client-node";
import { adminClients, createTestNamespace, eventually } from "../../test-support/lab-client.ts";

export const testImage = "lab.local/busybox:1";

/** A restartPolicy Never pod with one container running `sh -c script`. */
export function shellPod(name: string, script: string, extra: { container?: Partial<V1Container>; spec?: Partial<V1Pod["spec"]> } = {}): V1Pod {
  return {
    metadata: { name },
    spec: {
      restartPolicy: "Never",
      terminationGracePeriodSeconds: 5,
      containers: [{ name: "main", image: testImage, command: ["sh", "-c", script], ...extra.container }],
      ...extra.spec,
    } as V1Pod["spec"],
  };
}

export function shellJob(name: string, script: string, spec: Partial<NonNullable<V1Job["spec"]>> = {}): V1Job {
  return {
    metadata: { name },
    spec: {
      backoffLimit: 0,
      template: { spec: { restartPolicy: "Never", terminationGracePeriodSeconds: 5, containers: [{ name: "main", image: testImage, command: ["sh", "-c", script] }] } },
      ...spec,
    },
  };
}

/** Polls the pod until `accept` returns a value. */
export function podUntil<T>(namespace: string, name: string, what: string, accept: (pod: V1Pod) => T | undefined, timeoutMs = 60_000): Promise<T> {
  const { core } = adminClients();
  return eventually(what, async () => accept(await core.readNamespacedPod({ name, namespace })), timeoutMs);
}

/** The Job's condition of `type` once it is True. */
export function jobCondition(namespace: string, name: string, type: "Complete" | "Failed", timeoutMs = 60_000) {
  const { batch } = adminClients();
  return eventually(
    `Job ${namespace}/${name} to be ${type}`,
    async () => {
      const job = await batch.readNamespacedJob({ name, namespace });
      return job.status?.conditions?.find((c) => c.type === type && c.status === "True");
    },
    timeoutMs,
  );
}

/**
 * A throwaway namespace that can take pods: the ServiceAccount admission plugin rejects
 * pods until the controller manager has made the namespace's `default` ServiceAccount,
 * which under load takes a moment after the namespace exists.
 */
export async function createPodNamespace(prefix: string) {
  const ns = await createTestNamespace(prefix);
  const { core } = adminClients();
  await eventually(`the default ServiceAccount of ${ns.name}`, async () => {
    await core.readNamespacedServiceAccount({ name: "default", namespace: ns.name });
    return true;
  });
  return ns;
}
