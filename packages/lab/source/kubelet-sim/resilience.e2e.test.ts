import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClients, faultProxy } from "../test-support/lab-client.ts";
import { createPodNamespace, podUntil, shellPod } from "./test-utils/pods.ts";

// The node keeps working across an API-server restart: its pod watch ends with the old
// process and must come back by itself (resume or relist), and status updates retry.

describe("kubelet-sim across an API-server restart", () => {
  const { core } = adminClients();
  let ns: Awaited<ReturnType<typeof createPodNamespace>>;
  beforeAll(async () => {
    ns = await createPodNamespace("sim-restart");
  });
  afterAll(() => ns?.remove());

  it("reports a pod that finished during the restart and runs pods created after it", async () => {
    await core.createNamespacedPod({ namespace: ns.name, body: shellPod("across", "sleep 2; echo survived") });
    await podUntil(ns.name, "across", "the pod to run", (pod) => (pod.status?.phase === "Running" ? true : undefined));
    await faultProxy().restartApiServer();

    const finished = await podUntil(ns.name, "across", "the pod's final status", (pod) => (pod.status?.phase === "Succeeded" ? pod : undefined));
    expect(finished.status?.containerStatuses?.[0]?.state?.terminated?.reason).toBe("Completed");
    expect(await core.readNamespacedPodLog({ name: "across", namespace: ns.name })).toBe("survived\n");

    await core.createNamespacedPod({ namespace: ns.name, body: shellPod("after", "echo after") });
    await podUntil(ns.name, "after", "a pod created after the restart to complete", (pod) => (pod.status?.phase === "Succeeded" ? true : undefined));
  });

  it("restarts a failing container under restartPolicy OnFailure, counting restarts", async () => {
    await core.createNamespacedPod({
      namespace: ns.name,
      body: shellPod("flaky", "if [ -e /work/tried ]; then echo second; else touch /work/tried; echo first; exit 1; fi", {
        spec: { restartPolicy: "OnFailure", volumes: [{ name: "work", emptyDir: {} }] },
        container: { volumeMounts: [{ name: "work", mountPath: "/work" }] },
      }),
    });
    const status = await podUntil(
      ns.name,
      "flaky",
      "the restarted container to succeed",
      (pod) => (pod.status?.phase === "Succeeded" ? pod.status : undefined),
      60_000,
    );
    expect(status.containerStatuses?.[0]).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 1, reason: "Error" } } });
    expect(await core.readNamespacedPodLog({ name: "flaky", namespace: ns.name, previous: true })).toBe("first\n");
    expect(await core.readNamespacedPodLog({ name: "flaky", namespace: ns.name })).toBe("second\n");
  });
});
