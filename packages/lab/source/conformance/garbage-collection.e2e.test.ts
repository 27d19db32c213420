import type { V1Job } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClients, createTestNamespace, eventually, statusOf } from "../test-support/lab-client.ts";

// These hold with or without a node: the Job controller creates pods whether or not they
// can be scheduled, and a deadline runs out on pending and running pods alike. The pods
// sleep, so that on a node (kubelet-sim) they cannot complete before the deadline.

const job = (name: string, extra: Partial<NonNullable<V1Job["spec"]>> = {}): V1Job => ({
  metadata: { name },
  spec: {
    backoffLimit: 0,
    template: {
      spec: {
        restartPolicy: "Never",
        terminationGracePeriodSeconds: 1,
        containers: [{ name: "main", image: "lab.local/noop:1", command: ["sleep", "3600"] }],
      },
    },
    ...extra,
  },
});

describe("Job controller, garbage collector and TTL controller", () => {
  const { core, batch } = adminClients();
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;
  beforeAll(async () => {
    ns = await createTestNamespace("lab-gc");
  });
  afterAll(() => ns?.remove());

  it("deleting a Job with Background propagation deletes its pods", async () => {
    const created = await batch.createNamespacedJob({ namespace: ns.name, body: job("background") });
    const selector = `batch.kubernetes.io/controller-uid=${created.metadata?.uid}`;
    const pods = await eventually("the Job controller to create the pod", async () => {
      const list = await core.listNamespacedPod({ namespace: ns.name, labelSelector: selector });
      return list.items.length > 0 ? list.items : undefined;
    });
    expect(pods[0]?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "Job", uid: created.metadata?.uid });

    await batch.deleteNamespacedJob({ name: "background", namespace: ns.name, propagationPolicy: "Background" });
    await eventually("the garbage collector to delete the Job's pods", async () => {
      const list = await core.listNamespacedPod({ namespace: ns.name, labelSelector: selector });
      return list.items.length === 0 ? true : undefined;
    });
  });

  it("activeDeadlineSeconds fails the Job with DeadlineExceeded, then ttlSecondsAfterFinished deletes it", async () => {
    await batch.createNamespacedJob({
      namespace: ns.name,
      body: job("deadline", { activeDeadlineSeconds: 1, ttlSecondsAfterFinished: 3 }),
    });
    const failed = await eventually("the Job to fail on its deadline", async () => {
      const current = await batch.readNamespacedJob({ name: "deadline", namespace: ns.name });
      return current.status?.conditions?.find((c) => c.type === "Failed" && c.status === "True");
    });
    expect(failed.reason).toBe("DeadlineExceeded");

    await eventually(
      "the TTL controller to delete the finished Job",
      async () => {
        try {
          await batch.readNamespacedJob({ name: "deadline", namespace: ns.name });
          return undefined;
        } catch (error) {
          if (statusOf(error) === 404) return true;
          throw error;
        }
      },
      60_000,
    );
  });
});
