import { hang, startModelServer, text, toolUse } from "@claude-k8s/lab/source/model-server/index.ts";
import { adminClients, eventually, faultProxy, runLeftovers } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { describe, expect, it } from "vitest";
import { execute } from "../execute.ts";
import { useLabAgent } from "../test-utils/lab-agent.ts";
import { paperclipContext } from "../test-utils/paperclip-context.ts";

// What happens to a run from outside: deadlines, deletions, cancellation, kills, cluster
// trouble. The real CLI runs in the pod; the model is scripted.
const agent = useLabAgent("lifecycle");
const admin = adminClients();

// Pods being stopped keep their grace period (30 s) and a loaded machine adds to it.
const noLeftovers = (runId: string) => eventually("no leftovers", async () => ((await runLeftovers(agent.namespace, runId)).length === 0 ? true : undefined), 150_000);
const jobOf = async (runId: string) => (await admin.batch.listNamespacedJob({ namespace: agent.namespace, labelSelector: `paperclip.io/run-id=${runId}` })).items[0];
const runningPodOf = (runId: string) =>
  eventually("the run's pod to run", async () => {
    const pods = await admin.core.listNamespacedPod({ namespace: agent.namespace, labelSelector: `paperclip.io/run-id=${runId}` });
    return pods.items.find((pod) => pod.status?.phase === "Running");
  }, 60_000);

// The Events the adapter wrote on a Job (they outlive it: the Job itself is gone after cleanup).
const adapterEventsOn = async (jobName: string) =>
  (await admin.core.listNamespacedEvent({ namespace: agent.namespace, fieldSelector: `involvedObject.name=${jobName},involvedObject.kind=Job` })).items.filter((event) => event.source?.component === "claude-k8s").map((event) => ({ type: event.type, reason: event.reason, message: event.message }));
const jobNameOf = (result: { resultJson?: Record<string, unknown> | null }) => String((result.resultJson?.kubernetes as { job?: string } | undefined)?.job);

describe("a run's lifecycle, from outside", () => {
  it("deadline exceeded: timedOut with code timeout, nothing left", async () => {
    const model = await startModelServer({ script: [hang()] });
    try {
      const run = paperclipContext({ config: agent.config(model, { timeoutSec: 3, graceSec: 0 }) });
      const result = await execute(run.ctx);
      expect(result).toMatchObject({ timedOut: true, errorCode: "timeout" });
      await noLeftovers(run.ctx.runId);
      // The Job's activeDeadlineSeconds (timeoutSec) usually ends it before the adapter's own deadline (timeoutSec + graceSec).
      expect(await adapterEventsOn(jobNameOf(result))).toEqual([{ type: "Warning", reason: expect.stringMatching(/^Run(DeadlineExceeded|TimedOut)$/), message: expect.stringContaining(`run ${run.ctx.runId} `) }]);
    } finally {
      await model.close();
    }
  });

  it("no timeout set: the Job's default deadline still ends a hung run as timed out, nothing left", async () => {
    const model = await startModelServer({ script: [hang()] });
    try {
      // jobDeadlineSec stands in for the 6 h default, which no test waits for.
      const run = paperclipContext({ config: agent.config(model, { timeoutSec: 0, jobDeadlineSec: 4 }) });
      const job = eventually("the run's Job", async () => jobOf(run.ctx.runId), 60_000);
      const result = await execute(run.ctx);
      expect((await job)?.spec?.activeDeadlineSeconds).toBe(4);
      expect(result).toMatchObject({ timedOut: true, errorCode: "timeout" });
      await noLeftovers(run.ctx.runId);
    } finally {
      await model.close();
    }
  });

  it("cancel mid-run: the Job is deleted, its pods confirmed gone, the cancellation acknowledged", async () => {
    const model = await startModelServer({ script: [hang()] });
    try {
      const run = paperclipContext({ config: agent.config(model) });
      const running = execute(run.ctx);
      await runningPodOf(run.ctx.runId);
      await eventually("the CLI to reach the model", async () => (model.requests.length > 0 ? true : undefined));
      run.abort.abort(new Error("Cancelled by a board operator"));
      const result = await running;
      expect(result).toMatchObject({ errorCode: "cancelled", resultJson: { executionCancellation: { state: "acknowledged", forced: false } } });
      expect(run.cancellationReady).toBe(1);
      expect(await runLeftovers(agent.namespace, run.ctx.runId)).toEqual([]);
      expect(await adapterEventsOn(jobNameOf(result))).toEqual([{ type: "Normal", reason: "RunCancelled", message: `run ${run.ctx.runId} was cancelled in Paperclip: Job deleted and its pods confirmed gone` }]);
    } finally {
      await model.close();
    }
  });

  it("Job deleted by someone else mid-run: k8s_job_deleted_externally", async () => {
    const model = await startModelServer({ script: [hang()] });
    try {
      const run = paperclipContext({ config: agent.config(model) });
      const running = execute(run.ctx);
      await runningPodOf(run.ctx.runId);
      const job = await jobOf(run.ctx.runId);
      await admin.batch.deleteNamespacedJob({ name: job!.metadata!.name!, namespace: agent.namespace, propagationPolicy: "Background" });
      const result = await running;
      expect(result.errorCode).toBe("k8s_job_deleted_externally");
      expect(result.errorMessage).toContain(job!.metadata!.name!);
      await noLeftovers(run.ctx.runId);
    } finally {
      await model.close();
    }
  });

  it("killed mid-run after the model produced content: claude_truncated", async () => {
    const model = await startModelServer({ script: [toolUse("Bash", { command: "echo working" }), hang()] });
    try {
      const run = paperclipContext({ config: agent.config(model) });
      const running = execute(run.ctx);
      const pod = await runningPodOf(run.ctx.runId);
      await eventually("the second model request (after the tool ran)", async () => (model.requests.length >= 2 ? true : undefined));
      await admin.core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: agent.namespace, gracePeriodSeconds: 0 });
      const result = await running;
      expect(result.errorCode).toBe("claude_truncated");
      // No result: the container itself was stopped, so the message explains the pod too (its exit, its Events, the log's tail).
      expect(result.errorMessage).toMatch(/container claude: \w+ \(exit code \d+/);
      expect(result.errorMessage).toContain("pod events (oldest first):\n");
      expect(result.errorMessage).toMatch(/last \d+ log lines?:\n/);
      await noLeftovers(run.ctx.runId);
    } finally {
      await model.close();
    }
  });

  it("the log stream cut three times mid-run: every line once, in order", async () => {
    const steps = Array.from({ length: 6 }, (_, index) => toolUse("Bash", { command: `echo step-${index}` }, { delayMs: 300 }));
    const model = await startModelServer({ script: [...steps, text("All six steps done.", { delayMs: 300 })] });
    const proxy = faultProxy();
    try {
      const run = paperclipContext({ config: agent.config(model) });
      const running = execute(run.ctx);
      for (let cut = 0; cut < 3; cut++) {
        await eventually(`model request ${cut * 2 + 2}`, async () => (model.requests.length >= cut * 2 + 2 ? true : undefined), 60_000);
        await proxy.cut("log", { namespace: agent.namespace });
      }
      const result = await running;
      expect(result.errorMessage).toBeUndefined();
      const lines = run.jsonLines();
      const uuids = lines.map((line) => line.uuid).filter(Boolean);
      expect(new Set(uuids).size).toBe(uuids.length);
      const toolResults = lines.filter((line) => line.type === "user").length;
      expect(toolResults).toBe(6);
      expect(lines.at(-1)?.type).toBe("result");
      expect((result.resultJson?.kubernetes as { logConnections?: number } | undefined)?.logConnections).toBeGreaterThanOrEqual(2);
      await noLeftovers(run.ctx.runId);
    } finally {
      await model.close();
    }
  });

  it("a success whose log stream stalls and never comes back: the result, usage and session come from the termination message", async () => {
    const model = await startModelServer({ script: [toolUse("Bash", { command: "echo working" }), text("Finished after the stall.", { delayMs: 6000 })] });
    const proxy = faultProxy();
    try {
      const run = paperclipContext({ config: agent.config(model) });
      const running = execute(run.ctx);
      await eventually("the second model request (after the tool ran)", async () => (model.requests.length >= 2 ? true : undefined), 60_000);
      // The open log stream stalls, and every later log request fails: the log never brings the result line.
      await eventually("the log stream stalled", async () => ((await proxy.stall("log", { namespace: agent.namespace })) > 0 ? true : undefined), 30_000);
      await proxy.injectErrors({ status: 500, durationMs: 120_000, match: { resource: "pods/log", namespace: agent.namespace } });
      const result = await running;
      expect(run.jsonLines().some((line) => line.type === "result")).toBe(false);
      expect(result.errorCode ?? null).toBeNull();
      expect(result.summary).toContain("Finished after the stall.");
      expect((result.sessionParams as { sessionId?: string } | undefined)?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.usage?.outputTokens).toBeGreaterThan(0);
      expect(run.chunks.some((chunk) => chunk.chunk.includes("termination message"))).toBe(true);
      await noLeftovers(run.ctx.runId);
    } finally {
      await proxy.clearFaults();
      await model.close();
    }
  });

  it("the API server restarted mid-run: the run still succeeds", async () => {
    const model = await startModelServer({ script: [toolUse("Bash", { command: "echo before" }, { delayMs: 500 }), text("Survived the restart.", { delayMs: 4000 })] });
    const proxy = faultProxy();
    try {
      const run = paperclipContext({ config: agent.config(model) });
      const running = execute(run.ctx);
      await eventually("the first model request", async () => (model.requests.length >= 1 ? true : undefined), 60_000);
      await proxy.restartApiServer();
      const result = await running;
      expect(result.errorMessage).toBeUndefined();
      expect(result.summary).toContain("Survived the restart.");
      await noLeftovers(run.ctx.runId);
    } finally {
      await model.close();
    }
  });
});
