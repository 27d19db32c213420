import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClients, eventually } from "../test-support/lab-client.ts";
import { evictAnnotation } from "./pod-worker.ts";
import { createPodNamespace, podUntil, shellPod } from "./test-utils/pods.ts";

// What a pod's containers see and what the node reports about them, read back through
// the real API server.

describe("containers on kubelet-sim", () => {
  const { core } = adminClients();
  let ns: Awaited<ReturnType<typeof createPodNamespace>>;
  beforeAll(async () => {
    ns = await createPodNamespace("sim-containers");
    await core.createNamespacedSecret({
      namespace: ns.name,
      body: { metadata: { name: "creds" }, stringData: { token: "s3cret", "config.json": '{"a":1}' } },
    });
  });
  afterAll(() => ns?.remove());

  const logsOf = (name: string) => core.readNamespacedPodLog({ name, namespace: ns.name, container: "main" });
  const terminated = (name: string) =>
    podUntil(ns.name, name, `pod ${name} to finish`, (pod) =>
      pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed" ? pod.status : undefined,
    );
  const waitingReason = (name: string, reason: string) =>
    podUntil(ns.name, name, `pod ${name} to wait with ${reason}`, (pod) => {
      const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
      return waiting?.reason === reason ? waiting : undefined;
    });

  it("runs as uid 1000 with the Secret mounted (items, defaultMode), env from it, and the service-account token", async () => {
    await core.createNamespacedPod({
      namespace: ns.name,
      body: shellPod(
        "as-user",
        'id -u; id -g; cat /etc/creds/token; echo; stat -c %a /etc/creds/token; echo "env=$TOKEN"; ' +
          "test -s /var/run/secrets/kubernetes.io/serviceaccount/token && echo has-token; cat /var/run/secrets/kubernetes.io/serviceaccount/namespace; echo; " +
          "touch /etc/creds/x 2>/dev/null || echo read-only; pwd",
        {
          spec: {
            // As on a real node, a 0440 root-owned file is readable by uid 1000 only through fsGroup.
            securityContext: { runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, fsGroup: 1000 },
            volumes: [{ name: "creds", secret: { secretName: "creds", defaultMode: 0o440, items: [{ key: "token", path: "token" }] } }],
          },
          container: {
            workingDir: "/tmp",
            env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "creds", key: "token" } } }],
            volumeMounts: [{ name: "creds", mountPath: "/etc/creds" }],
          },
        },
      ),
    });
    const status = await terminated("as-user");
    expect(status.phase).toBe("Succeeded");
    expect((await logsOf("as-user")).split("\n")).toEqual(["1000", "1000", "s3cret", "440", "env=s3cret", "has-token", ns.name, "read-only", "/tmp", ""]);
  });

  it("a missing Secret key gives CreateContainerConfigError with the kubelet's message", async () => {
    await core.createNamespacedPod({
      namespace: ns.name,
      body: shellPod("missing-key", "true", { container: { env: [{ name: "X", valueFrom: { secretKeyRef: { name: "creds", key: "nope" } } }] } }),
    });
    const waiting = await waitingReason("missing-key", "CreateContainerConfigError");
    expect(waiting.message).toBe(`couldn't find key nope in Secret ${ns.name}/creds`);
    const pod = await core.readNamespacedPod({ name: "missing-key", namespace: ns.name });
    expect(pod.status?.phase).toBe("Pending");
  });

  it("a missing image gives ErrImagePull, then ImagePullBackOff", async () => {
    await core.createNamespacedPod({ namespace: ns.name, body: shellPod("no-image", "true", { container: { image: "lab.local/missing:1" } }) });
    const backOff = await waitingReason("no-image", "ImagePullBackOff");
    expect(backOff.message).toBe('Back-off pulling image "lab.local/missing:1"');
  });

  it("records the kubelet's events for the pod (what `kubectl describe pod` shows)", async () => {
    const reasonsOf = async (name: string) => {
      const events = await core.listNamespacedEvent({ namespace: ns.name, fieldSelector: `involvedObject.name=${name}` });
      return events.items.filter((e) => e.source?.component === "kubelet").map((e) => `${e.type} ${e.reason}: ${e.message}`);
    };
    await eventually("the started pod's events", async () => {
      const reasons = await reasonsOf("as-user");
      return reasons.includes("Normal Started: Started container main") ? reasons : undefined;
    });
    expect(await reasonsOf("as-user")).toEqual(
      expect.arrayContaining([
        'Normal Pulled: Container image "lab.local/busybox:1" already present on machine',
        "Normal Created: Created container: main",
      ]),
    );
    const pull = await eventually("the missing image's events", async () => {
      const reasons = await reasonsOf("no-image");
      return reasons.some((r) => r.startsWith("Normal BackOff")) ? reasons : undefined;
    });
    expect(pull).toEqual(expect.arrayContaining([expect.stringMatching(/^Warning Failed: Failed to pull image "lab.local\/missing:1"/)]));
  });

  it("a malformed image reference gives InvalidImageName", async () => {
    await core.createNamespacedPod({ namespace: ns.name, body: shellPod("bad-image", "true", { container: { image: "Lab.Local/UPPER CASE" } }) });
    const waiting = await waitingReason("bad-image", "InvalidImageName");
    expect(waiting.message).toContain("invalid reference format");
  });

  it("a container over its memory limit is OOMKilled (exit 137)", async () => {
    await core.createNamespacedPod({
      namespace: ns.name,
      body: shellPod("oom", "", {
        container: {
          command: [process.execPath, "-e", "const keep = []; for (;;) keep.push(Buffer.alloc(1 << 20, 1));"],
          resources: { limits: { memory: "64Mi" } },
        },
      }),
    });
    const status = await terminated("oom");
    expect(status.phase).toBe("Failed");
    expect(status.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 137, reason: "OOMKilled" });
  });

  it("reports the termination message file, and the log tail with FallbackToLogsOnError", async () => {
    await core.createNamespacedPod({ namespace: ns.name, body: shellPod("message", "echo 'all done' > /dev/termination-log") });
    await core.createNamespacedPod({
      namespace: ns.name,
      body: shellPod("fallback", "echo first; echo 'fatal: no luck'; exit 2", { container: { terminationMessagePolicy: "FallbackToLogsOnError" } }),
    });
    expect((await terminated("message")).containerStatuses?.[0]?.state?.terminated?.message).toBe("all done\n");
    expect((await terminated("fallback")).containerStatuses?.[0]?.state?.terminated).toMatchObject({
      exitCode: 2,
      message: "first\nfatal: no luck\n",
    });
  });

  it("evicts a pod on request (lab hook): killed at once, Failed, Evicted, DisruptionTarget", async () => {
    await core.createNamespacedPod({ namespace: ns.name, body: shellPod("evicted", "sleep 300") });
    await podUntil(ns.name, "evicted", "the pod to run", (pod) => (pod.status?.phase === "Running" ? true : undefined));
    await core.patchNamespacedPod(
      { name: "evicted", namespace: ns.name, body: { metadata: { annotations: { [evictAnnotation]: "memory" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    const status = await terminated("evicted");
    expect(status).toMatchObject({ phase: "Failed", reason: "Evicted", message: "The node was low on resource: memory. " });
    expect(status.conditions?.find((c) => c.type === "DisruptionTarget")).toMatchObject({ status: "True", reason: "TerminationByKubelet" });
    expect(status.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(137);
  });

  it("runs init containers in order before the main container, sharing an emptyDir", async () => {
    await core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: { name: "init" },
        spec: {
          restartPolicy: "Never",
          volumes: [{ name: "work", emptyDir: {} }],
          initContainers: ["one", "two"].map((name) => ({
            name,
            image: "lab.local/busybox:1",
            command: ["sh", "-c", `echo ${name} >> /work/order`],
            volumeMounts: [{ name: "work", mountPath: "/work" }],
          })),
          containers: [{ name: "main", image: "lab.local/busybox:1", command: ["cat", "/work/order"], volumeMounts: [{ name: "work", mountPath: "/work" }] }],
        },
      },
    });
    const status = await terminated("init");
    expect(status.phase).toBe("Succeeded");
    expect(status.initContainerStatuses?.map((c) => c.state?.terminated?.reason)).toEqual(["Completed", "Completed"]);
    expect(await logsOf("init")).toBe("one\ntwo\n");
  });
});
