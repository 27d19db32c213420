import { adminClients, faultProxy } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PodLike } from "../kube-objects.ts";
import type { KubeClient } from "../kube/kube-client.ts";
import { SharedWatch } from "../kube/shared-watch.ts";
import { useLabNamespace } from "../test-utils/lab-namespace.ts";
import { waitForWatch } from "../run/wait-for.ts";
import { followContainerLog } from "./follow-container-log.ts";

const ns = useLabNamespace("rt-logs", { viaFaultProxy: true });
let client: KubeClient;
let pods: SharedWatch<PodLike>;
const admin = adminClients();
const proxy = faultProxy();

beforeAll(async () => {
  client = ns.client;
  pods = new SharedWatch<PodLike>({ client, path: `/api/v1/namespaces/${ns.name}/pods` }).start();
  await pods.synced();
});
afterAll(async () => {
  await pods?.stop();
});

async function startPod(name: string, script: string) {
  await admin.core.createNamespacedPod({
    namespace: ns.name,
    body: { metadata: { name }, spec: { restartPolicy: "Never", terminationGracePeriodSeconds: 2, containers: [{ name: "claude", image: "lab.local/busybox:1", command: ["sh", "-c", script] }] } },
  });
  await waitForWatch(pods, (list) => (list().find((pod) => pod.metadata?.name === name)?.status?.containerStatuses?.[0]?.state?.running ? true : undefined), AbortSignal.timeout(60_000));
}

const terminated = (name: string) => () => pods.get(name, ns.name)?.status?.containerStatuses?.[0]?.state?.terminated !== undefined;

describe("followContainerLog", () => {
  it("delivers every line once and in order while the log connection is cut three times", async () => {
    await startPod("cut-me", 'i=0; while [ $i -lt 120 ]; do i=$((i+1)); echo "{\\"type\\":\\"line\\",\\"n\\":$i}"; sleep 0.05; done');
    const received: string[] = [];
    const following = followContainerLog({ client, namespace: ns.name, pod: "cut-me", container: "claude", onLine: (line) => void received.push(line), containerTerminated: terminated("cut-me"), signal: AbortSignal.timeout(120_000), overlapSeconds: 3 });
    for (const after of [20, 50, 80]) {
      while (received.length < after) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await proxy.cut("log", { namespace: ns.name })).toBeGreaterThan(0);
    }
    const report = await following;
    expect(report.end).toBe("complete");
    expect(report.connections).toBeGreaterThanOrEqual(4);
    expect(received).toEqual(Array.from({ length: 120 }, (_, index) => `{"type":"line","n":${index + 1}}`));
  });

  it("resumes a stream that stalls without closing, and reads the log to its end once the container is gone", async () => {
    await startPod("stall-me", 'i=0; while [ $i -lt 40 ]; do i=$((i+1)); echo "{\\"type\\":\\"line\\",\\"n\\":$i}"; if [ $i -eq 10 ]; then sleep 3; fi; done');
    const received: string[] = [];
    const untilTerminated = (ms: number) => waitForWatch(pods, () => (terminated("stall-me")() ? true : undefined), AbortSignal.timeout(ms)).then(() => undefined, () => undefined);
    const following = followContainerLog({ client, namespace: ns.name, pod: "stall-me", container: "claude", onLine: (line) => void received.push(line), containerTerminated: terminated("stall-me"), untilTerminated, signal: AbortSignal.timeout(60_000), overlapSeconds: 5 });
    while (received.length < 10) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await proxy.stall("log", { namespace: ns.name })).toBe(1);
    const report = await following;
    expect(report.end).toBe("complete");
    expect(received).toEqual(Array.from({ length: 40 }, (_, index) => `{"type":"line","n":${index + 1}}`));
  });

  it("keeps multi-byte text and long lines whole, and delivers an unterminated last line", async () => {
    const long = "é".repeat(40_000);
    await startPod("text", `printf '%s\\n' "${long}"; printf 'ünïcode ✓\\n'; sleep 0.5; printf 'no newline at the end'`);
    const received: string[] = [];
    await followContainerLog({ client, namespace: ns.name, pod: "text", container: "claude", onLine: (line) => void received.push(line), containerTerminated: terminated("text"), signal: AbortSignal.timeout(60_000) });
    expect(received).toEqual([long, "ünïcode ✓", "no newline at the end"]);
  });

  it("reports a pod that is gone", async () => {
    const report = await followContainerLog({ client, namespace: ns.name, pod: "never-existed", container: "claude", onLine: () => {}, containerTerminated: () => false, signal: AbortSignal.timeout(30_000) });
    expect(report.end).toBe("pod-gone");
  });
});
