import { randomBytes } from "node:crypto";
import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClients, createTestNamespace, eventually } from "../test-support/lab-client.ts";

describe("kube-scheduler", () => {
  const { core } = adminClients();
  // A Node object of our own with small capacity, so the scheduler has a node to reject.
  const nodeName = `lab-small-node-${randomBytes(3).toString("hex")}`;
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;

  beforeAll(async () => {
    ns = await createTestNamespace("lab-sched");
    await core.createNode({ body: { metadata: { name: nodeName, labels: { "claude-k8s.dev/lab-test": "scheduler" } } } });
    const capacity = { cpu: "1", memory: "1Gi", pods: "10" };
    await core.patchNodeStatus(
      { name: nodeName, body: { status: { capacity, allocatable: capacity } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
  });
  afterAll(async () => {
    await core.deleteNode({ name: nodeName }).catch(() => {});
    await ns?.remove();
  });

  it("leaves a pod asking more CPU than any node Pending with Unschedulable and the scheduler's message", async () => {
    await core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: { name: "too-big" },
        spec: {
          // Tolerate the not-ready taints of our status-less node, so that CPU is the one
          // reason left for the scheduler to give.
          tolerations: [{ operator: "Exists" }],
          containers: [{ name: "main", image: "lab.local/noop:1", resources: { requests: { cpu: "1000" } } }],
        },
      },
    });
    const condition = await eventually("the scheduler to mark the pod Unschedulable", async () => {
      const pod = await core.readNamespacedPod({ name: "too-big", namespace: ns.name });
      return pod.status?.conditions?.find((c) => c.type === "PodScheduled" && c.reason === "Unschedulable");
    });
    expect(condition.status).toBe("False");
    expect(condition.message).toMatch(/^0\/\d+ nodes are available: .*Insufficient cpu/);
    const pod = await core.readNamespacedPod({ name: "too-big", namespace: ns.name });
    expect(pod.status?.phase).toBe("Pending");
    expect(pod.spec?.nodeName).toBeUndefined();
  });
});
