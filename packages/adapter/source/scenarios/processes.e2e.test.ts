import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { startModelServer, text, toolUse } from "@claude-k8s/lab/source/model-server/index.ts";
import { adminClients, eventually, runLeftovers } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { describe, expect, it } from "vitest";
import type { AdapterExecutionResult } from "../paperclip-types.ts";
import { useLabAgent } from "../test-utils/lab-agent.ts";

// Several adapter processes against one cluster: two servers running the same agent at the
// same moment, and a server killed mid-run whose Job a later run adopts.
const agent = useLabAgent("processes");
const admin = adminClients();
const childScript = path.resolve(import.meta.dirname, "../test-utils/execute-in-child.ts");

function executeInChild(spec: Record<string, unknown>, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [childScript, JSON.stringify(spec)], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let log = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const done = new Promise<{ result?: AdapterExecutionResult; log: string; code: number | null }>((resolve) =>
    child.on("close", (code) => {
      const last = stdout.trim().split("\n").at(-1);
      resolve({ ...(last ? { result: JSON.parse(last) as AdapterExecutionResult } : {}), log, code });
    }),
  );
  return { child, done, log: () => log };
}

const agentJobs = async (agentId: string) => (await admin.batch.listNamespacedJob({ namespace: agent.namespace, labelSelector: `paperclip.io/agent-id=${agentId}` })).items;

describe("several adapter processes", () => {
  it("two processes executing the same agent at the same moment: exactly one Job, the other run is blocked", async () => {
    const model = await startModelServer({ script: [text("Done after a while.", { heldUntil: "one-ended", repeat: 2 })] });
    try {
      const agentId = `agent-${randomUUID().slice(0, 8)}`;
      const config = agent.config(model);
      const first = executeInChild({ config, agentId, runId: randomUUID(), issueId: "issue-a" });
      const second = executeInChild({ config, agentId, runId: randomUUID(), issueId: "issue-b" });
      const peak = await eventually("a Job for the agent", async () => ((await agentJobs(agentId)).length > 0 ? agentJobs(agentId) : undefined));
      // The Job's answer waits until one of the two runs has ended (the blocked one): a fixed
      // delay let a loaded machine finish the first run before the second looked.
      await Promise.race([first.done, second.done, new Promise((resolve) => setTimeout(resolve, 120_000))]);
      model.release("one-ended");
      const [a, b] = await Promise.all([first.done, second.done]);
      const codes = [a.result?.errorCode ?? "success", b.result?.errorCode ?? "success"].sort();
      expect(codes, `${a.log}\n---\n${b.log}`).toEqual(["k8s_concurrent_run_blocked", "success"]);
      expect(peak).toHaveLength(1);
      expect(model.scriptedRequests()).toHaveLength(1);
    } finally {
      await model.close();
    }
  });

  it("a process killed mid-run: a later run of the same task adopts the running Job instead of starting another", async () => {
    const model = await startModelServer({ script: [toolUse("Bash", { command: "echo first-part" }), text("Finished after the handover.", { heldUntil: "adopted" })] });
    try {
      const agentId = `agent-${randomUUID().slice(0, 8)}`;
      const config = agent.config(model);
      const fastOrphans = { CLAUDE_K8S_OWNER_STALE_AFTER_SEC: "2" };
      const crashed = executeInChild({ config, agentId, runId: randomUUID(), issueId: "issue-x" }, fastOrphans);
      await eventually("the tool call to run in the pod", async () => (model.scriptedRequests().length >= 2 ? true : undefined), 60_000);
      (crashed.child as ChildProcess).kill("SIGKILL");
      await crashed.done;
      const [job] = await agentJobs(agentId);
      expect(job).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 2500)); // the dead owner's Lease goes stale
      const later = executeInChild({ config, agentId, runId: randomUUID(), issueId: "issue-x" }, fastOrphans);
      // The pod's last model call waits for the adoption: a fixed delay let a loaded machine
      // finish the Job before the later run even looked for it.
      await eventually("the later run to adopt the Job", async () => (later.log().includes("adopting Job") ? true : undefined), 120_000);
      model.release("adopted");
      const { result, log } = await later.done;
      expect(log).toContain(`adopting Job ${job!.metadata!.name}`);
      const adopted = await admin.core.listNamespacedEvent({ namespace: agent.namespace, fieldSelector: `involvedObject.uid=${job!.metadata!.uid}` });
      expect(adopted.items.filter((event) => event.source?.component === "claude-k8s").map((event) => [event.type, event.reason])).toEqual([["Normal", "RunAdopted"]]);
      expect(result?.errorMessage, log).toBeUndefined();
      expect(result?.summary).toContain("Finished after the handover.");
      expect(model.scriptedRequests()).toHaveLength(2);
      await eventually("no leftovers", async () => ((await agentJobs(agentId)).length === 0 ? true : undefined), 150_000);
      expect(await runLeftovers(agent.namespace, job!.metadata!.labels!["paperclip.io/run-id"]!)).toEqual([]);
    } finally {
      await model.close();
    }
  });

  it("a process killed mid-run whose Job then finishes: the next run of the task takes the result and session it ended in, and removes the Job", async () => {
    const model = await startModelServer({ script: [text("First part done.", { delayMs: 6000 }), text("Second run done.")] });
    try {
      const agentId = `agent-${randomUUID().slice(0, 8)}`;
      const config = agent.config(model);
      const fastOrphans = { CLAUDE_K8S_OWNER_STALE_AFTER_SEC: "2" };
      const crashed = executeInChild({ config, agentId, runId: randomUUID(), issueId: "issue-y" }, fastOrphans);
      await eventually("the model request of the first run", async () => (model.scriptedRequests().length >= 1 ? true : undefined), 60_000);
      (crashed.child as ChildProcess).kill("SIGKILL");
      await crashed.done;
      const [job] = await agentJobs(agentId);
      expect(job).toBeDefined();
      // Nobody follows it now: it finishes on its own.
      await eventually("the orphaned Job to complete", async () => ((await admin.batch.readNamespacedJob({ name: job!.metadata!.name!, namespace: agent.namespace })).status?.succeeded ? true : undefined), 120_000);
      await new Promise((resolve) => setTimeout(resolve, 2500)); // the dead owner's Lease goes stale
      const later = executeInChild({ config, agentId, runId: randomUUID(), issueId: "issue-y" }, fastOrphans);
      const { result, log } = await later.done;
      const recovered = (result?.resultJson as { recoveredRuns?: { job: string; sessionId?: string; isError?: boolean; result?: string }[] } | undefined)?.recoveredRuns;
      expect(recovered, log).toEqual([expect.objectContaining({ job: `${agent.namespace}/${job!.metadata!.name}`, isError: false, result: "First part done." })]);
      const sessionId = recovered?.[0]?.sessionId;
      expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(log).toContain(`this run resumes its session ${sessionId}`);
      // The agent's own volume kept HOME: the session resumes, and the model sees the lost run's answer.
      expect(log).not.toContain("cannot be resumed");
      expect(JSON.stringify(model.scriptedRequests()[1]?.body.messages)).toContain("First part done.");
      expect(result?.errorMessage, log).toBeUndefined();
      expect(result?.summary).toContain("Second run done.");
      await eventually("no leftovers", async () => ((await agentJobs(agentId)).length === 0 ? true : undefined), 150_000);
      expect(await runLeftovers(agent.namespace, job!.metadata!.labels!["paperclip.io/run-id"]!)).toEqual([]);
    } finally {
      await model.close();
    }
  });
});
