import { startModelServer, text } from "@claude-k8s/lab/source/model-server/index.ts";
import { adminClients, eventually, runLeftovers } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { describe, expect, inject, it } from "vitest";
import { execute } from "../execute.ts";
import { useLabAgent } from "../test-utils/lab-agent.ts";
import { paperclipContext } from "../test-utils/paperclip-context.ts";

// Pods that cannot run claude, each with its own code and an operator-ready message.
const agent = useLabAgent("pod-failures");
const admin = adminClients();
const noLeftovers = (runId: string) => eventually("no leftovers", async () => ((await runLeftovers(agent.namespace, runId)).length === 0 ? true : undefined), 150_000);

async function runWith(extra: Record<string, unknown>, during?: (runId: string) => Promise<void>) {
  const model = await startModelServer({ script: [text("Hello.")] });
  try {
    const run = paperclipContext({ config: agent.config(model, extra) });
    const running = execute(run.ctx);
    await during?.(run.ctx.runId);
    const result = await running;
    await noLeftovers(run.ctx.runId);
    return { result, run };
  } finally {
    await model.close();
  }
}

describe("pods that cannot run", () => {
  it("unschedulable: k8s_pod_unschedulable with the scheduler's message and Event", async () => {
    const { result, run } = await runWith({ resources: { requests: { cpu: "64", memory: "1Gi" }, limits: { cpu: "64", memory: "1Gi" } }, podScheduleTimeoutSec: 3 });
    expect(result.errorCode).toBe("k8s_pod_unschedulable");
    expect(result.errorMessage).toMatch(/Insufficient cpu/);
    // The explainer quotes the pod's Events in the message itself.
    expect(result.errorMessage).toMatch(/pod events \(oldest first\):\n( {2}.*\n)* {2}warning FailedScheduling: /);
    expect(run.chunks.some(({ chunk }) => chunk.includes("FailedScheduling"))).toBe(true);
  });

  it("image pull failure: k8s_image_pull_failed after the back-off grace, naming the image", async () => {
    const { result } = await runWith({ image: "lab.local/missing:1" });
    expect(result.errorCode).toBe("k8s_image_pull_failed");
    expect(result.errorMessage).toContain("lab.local/missing:1");
    // The first container to need the image names it: on the agent's own volume that is the
    // volume-setup init container, with a shared claim the claude container.
    expect(result.errorMessage).toMatch(/(init container volume-setup|container claude): (ImagePullBackOff|ErrImagePull) \(never started\)/);
  });

  // kubelet-sim's lab.local/slow:1 pulls for 3 s; the real node has no slow registry (its own test covers this error).
  it.skipIf(inject("lab").node?.kind === "real")("a missing Secret key: k8s_container_config_error naming the key", async () => {
    // The slow image gives the test 3 s to take a key out of the run's Secret before the container is made.
    const { result } = await runWith({ image: "lab.local/slow:1" }, async (runId) => {
      const secret = await eventually("the run's Secret", async () => (await admin.core.listNamespacedSecret({ namespace: agent.namespace, labelSelector: `paperclip.io/run-id=${runId}` })).items[0]);
      const key = Object.keys(secret.data ?? {}).find((name) => name.includes("ANTHROPIC_API_KEY"));
      expect(key).toBeDefined();
      await admin.core.patchNamespacedSecret({ name: secret.metadata!.name!, namespace: agent.namespace, body: [{ op: "remove", path: `/data/${key!.replace(/~/g, "~0").replace(/\//g, "~1")}` }] });
    });
    expect(result.errorCode).toBe("k8s_container_config_error");
    expect(result.errorMessage).toMatch(/ANTHROPIC_API_KEY|CreateContainerConfigError/);
  });

  it("OOM-killed: k8s_oom_killed with the advice to raise the memory limit", async () => {
    const { result } = await runWith({ resources: { requests: { cpu: "100m", memory: "32Mi" }, limits: { cpu: "1", memory: "48Mi" } } });
    expect(result.errorCode).toBe("k8s_oom_killed");
    expect(result.errorMessage).toMatch(/resources\.limits\.memory/);
    expect(result.errorMessage).toContain("container claude: OOMKilled (exit code 137)");
  });
});
