import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClients, eventually, statusOf } from "../test-support/lab-client.ts";
import { createPodNamespace, jobCondition, podUntil, shellJob, shellPod } from "./test-utils/pods.ts";

// Jobs on the simulated node, judged by Kubernetes' own Job, garbage-collector and TTL
// controllers: kubelet-sim only runs the containers and reports their status.

describe("Jobs on kubelet-sim", () => {
  const { core, batch } = adminClients();
  let ns: Awaited<ReturnType<typeof createPodNamespace>>;
  beforeAll(async () => {
    ns = await createPodNamespace("sim-jobs");
  });
  afterAll(() => ns?.remove());

  const podsOf = async (jobName: string) => {
    const job = await batch.readNamespacedJob({ name: jobName, namespace: ns.name });
    const list = await core.listNamespacedPod({ namespace: ns.name, labelSelector: `batch.kubernetes.io/controller-uid=${job.metadata?.uid}` });
    return list.items;
  };

  it("a container that exits 0 completes the Job", async () => {
    await batch.createNamespacedJob({ namespace: ns.name, body: shellJob("exit-0", "echo hello") });
    await jobCondition(ns.name, "exit-0", "Complete");
    const [pod] = await podsOf("exit-0");
    expect(pod?.status?.phase).toBe("Succeeded");
    expect(pod?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
  });

  it("a container that exits 1 fails the Job", async () => {
    await batch.createNamespacedJob({ namespace: ns.name, body: shellJob("exit-1", "echo boom >&2; exit 1") });
    const failed = await jobCondition(ns.name, "exit-1", "Failed");
    expect(failed.reason).toBe("BackoffLimitExceeded");
    const [pod] = await podsOf("exit-1");
    expect(pod?.status?.phase).toBe("Failed");
    expect(pod?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
  });

  it("the pod's activeDeadlineSeconds is enforced by the node: Failed, DeadlineExceeded", async () => {
    await core.createNamespacedPod({ namespace: ns.name, body: shellPod("pod-deadline", "sleep 300", { spec: { activeDeadlineSeconds: 2 } }) });
    const status = await podUntil(ns.name, "pod-deadline", "the pod to fail on its deadline", (pod) =>
      pod.status?.phase === "Failed" ? pod.status : undefined,
    );
    expect(status.reason).toBe("DeadlineExceeded");
    expect(status.message).toBe("Pod was active on the node longer than the specified deadline");
    expect(status.containerStatuses?.[0]?.state?.terminated?.exitCode).toBeGreaterThan(128);
  });

  it("a pod deleted while its deadline is stopping it is still deleted, with the deletion's shorter grace period", async () => {
    // `sleep` as PID 1 ignores SIGTERM, so only SIGKILL ends it: after 600 s for the deadline, 1 s for the deletion.
    await core.createNamespacedPod({
      namespace: ns.name,
      body: shellPod("deadline-then-delete", "sleep 300", { spec: { activeDeadlineSeconds: 1, terminationGracePeriodSeconds: 600 } }),
    });
    await podUntil(ns.name, "deadline-then-delete", "the deadline to be reached", (pod) =>
      (pod.status?.containerStatuses?.[0]?.state?.running && Date.now() - Date.parse(String(pod.status?.startTime)) > 1500) ? true : undefined,
    );
    await core.deleteNamespacedPod({ name: "deadline-then-delete", namespace: ns.name, gracePeriodSeconds: 1 });
    await eventually("the pod object to be gone", async () => {
      try {
        await core.readNamespacedPod({ name: "deadline-then-delete", namespace: ns.name });
        return undefined;
      } catch (error) {
        if (statusOf(error) === 404) return true;
        throw error;
      }
    });
  });

  it("the Job's activeDeadlineSeconds fails it with DeadlineExceeded and stops its running pod", async () => {
    await batch.createNamespacedJob({ namespace: ns.name, body: shellJob("job-deadline", "sleep 300", { activeDeadlineSeconds: 3 }) });
    await podUntil(ns.name, (await eventually("the Job's pod", async () => (await podsOf("job-deadline"))[0]?.metadata?.name)) ?? "", "the pod to run", (pod) =>
      pod.status?.phase === "Running" ? true : undefined,
    );
    const failed = await jobCondition(ns.name, "job-deadline", "Failed");
    expect(failed.reason).toBe("DeadlineExceeded");
    await eventually("the Job controller's pod deletion to be carried out by the node", async () =>
      (await podsOf("job-deadline")).length === 0 ? true : undefined,
    );
  });

  it("ttlSecondsAfterFinished deletes a finished Job", async () => {
    await batch.createNamespacedJob({ namespace: ns.name, body: shellJob("ttl", "true", { ttlSecondsAfterFinished: 1 }) });
    await jobCondition(ns.name, "ttl", "Complete");
    await eventually(
      "the TTL controller to delete the Job",
      async () => {
        try {
          await batch.readNamespacedJob({ name: "ttl", namespace: ns.name });
          return undefined;
        } catch (error) {
          if (statusOf(error) === 404) return true;
          throw error;
        }
      },
      60_000,
    );
  });

  it("deleting a Job with Background propagation stops and removes its running pods", async () => {
    await batch.createNamespacedJob({ namespace: ns.name, body: shellJob("background", "trap 'exit 0' TERM; while :; do sleep 0.1; done") });
    const podName = await eventually("the Job's pod", async () => (await podsOf("background"))[0]?.metadata?.name);
    await podUntil(ns.name, podName ?? "", "the pod to run", (pod) => (pod.status?.phase === "Running" ? true : undefined));
    const job = await batch.readNamespacedJob({ name: "background", namespace: ns.name });
    await batch.deleteNamespacedJob({ name: "background", namespace: ns.name, propagationPolicy: "Background" });
    await eventually("the pods of the deleted Job to be gone", async () => {
      const list = await core.listNamespacedPod({ namespace: ns.name, labelSelector: `batch.kubernetes.io/controller-uid=${job.metadata?.uid}` });
      return list.items.length === 0 ? true : undefined;
    });
  });
});
