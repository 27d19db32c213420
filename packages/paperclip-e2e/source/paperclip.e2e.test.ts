// The adapter as Paperclip runs it: a real Paperclip server (npm paperclipai, pinned) loads
// our adapter from this workspace through its install API, and agents of type claude_k8s run
// issues as Jobs in the lab with the real Claude Code CLI in the pod. Only the model is
// scripted (a loopback Messages API), and the lab's node runs the "image" from the host.
import { readdirSync } from "node:fs";
import path from "node:path";
import { CoordinationV1Api } from "@kubernetes/client-node";
import { startModelServer, type ModelServer, type ScriptFunction } from "@claude-k8s/lab/source/model-server/index.ts";
import { adminClients, eventually } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { allowInOperatorPolicy, useLabAgent } from "../../adapter/source/test-utils/lab-agent.ts";
import { bashThenAnswer, neverAnswers, unauthorized } from "./model-scripts.ts";
import type { Json } from "./paperclip-api.ts";
import { ensurePaperclipInstalled } from "./paperclip-install.ts";
import { type PaperclipServer, startPaperclip } from "./paperclip-server.ts";
import { type HeartbeatRun, issueRuns, runLogChunks, streamJsonEvents, waitAgentIdle, waitForRun } from "./runs.ts";
import { openRunPage } from "./run-page.ts";
import { createSharedVolume, type SharedVolume } from "@claude-k8s/lab/source/test-support/shared-volume.ts";

const lab = useLabAgent("paperclip");
const log = (line: string) => process.stderr.write(`[paperclip-e2e] ${line}\n`);
const adapterDir = path.resolve(import.meta.dirname, "../../adapter");
const claimName = "paperclip-data";

let server: PaperclipServer;
let volume: SharedVolume;
let companyId: string;
let companyPrefix: string;
const models: ModelServer[] = [];

beforeAll(async () => {
  allowInOperatorPolicy("CLAUDE_K8S_ALLOW_VOLUME_CLAIM", claimName);
  server = await startPaperclip({ bin: ensurePaperclipInstalled(log), log });
  volume = await createSharedVolume(lab.namespace, claimName, server.dataDir);
  const company = await server.api.post("/companies", { name: "Kubernetes Works" });
  companyId = String(company.id);
  companyPrefix = String(company.issuePrefix);
}, 900_000);

afterAll(async () => {
  await Promise.all(models.map((model) => model.close()));
  await volume?.remove();
  await server?.stop();
});

/** An agent of type claude_k8s whose pods run in the lab and talk to their own scripted model. */
async function createAgent(name: string, script: ScriptFunction): Promise<{ id: string; urlKey: string; model: ModelServer }> {
  const model = await startModelServer({ script });
  models.push(model);
  const agent = await server.api.post(`/companies/${companyId}/agents`, {
    name,
    adapterType: "claude_k8s",
    adapterConfig: agentConfig(model),
  });
  return { id: String(agent.id), urlKey: String(agent.urlKey), model };
}

/** The lab agent's config plus the shared volume: the server's data dir is the claim, mounted at /paperclip. */
function agentConfig(model: ModelServer): Json {
  return lab.config(model, {
    workspaceVolumeClaim: claimName,
    serverMountPath: server.dataDir,
    workspaceMountPath: "/paperclip",
    env: { ...(lab.config(model).env as Json), PAPERCLIP_API_URL: server.url },
  });
}

async function assignIssue(agentId: string, title: string): Promise<string> {
  const issue = await server.api.post(`/companies/${companyId}/issues`, { title, description: `${title}, then report.`, assigneeAgentId: agentId, status: "todo" });
  return String(issue.id);
}

/** The issue's first run, once it has ended. */
async function firstRunOf(agentId: string, issueId: string): Promise<HeartbeatRun> {
  const [first] = await eventually(`a run of issue ${issueId}`, async () => {
    const runs = await issueRuns(server.api, companyId, agentId, issueId);
    return runs.length > 0 ? runs : undefined;
  }, 60_000);
  return waitForRun(server.api, first!.id, (run) => !["queued", "running"].includes(run.status), "to end");
}

/** Closes the issue and waits out the follow-up runs Paperclip starts by itself. */
async function closeIssue(agentId: string, issueId: string): Promise<HeartbeatRun[]> {
  await server.api.patch(`/issues/${issueId}`, { status: "done" });
  return waitAgentIdle(server.api, companyId, agentId);
}

/** The runs that reached the adapter (Paperclip records an adapter.invoke event for them). */
async function adapterInvokedRuns(runs: HeartbeatRun[]): Promise<HeartbeatRun[]> {
  const invoked: HeartbeatRun[] = [];
  for (const run of runs) {
    const events = await server.api.get<Array<{ eventType: string }>>(`/heartbeat-runs/${run.id}/events`);
    if (events.some((event) => event.eventType === "adapter.invoke")) invoked.push(run);
  }
  return invoked;
}

/** Jobs, pods and Secrets of our runs, and launch locks not given back. (The server's owner
 *  Lease lives as long as the server process, by design.) */
async function labLeftovers(): Promise<string[]> {
  const { core, batch, kubeConfig } = adminClients();
  const namespace = lab.namespace;
  const labelSelector = "paperclip.io/adapter-type=claude_k8s";
  const [jobs, pods, secrets, locks] = await Promise.all([
    batch.listNamespacedJob({ namespace, labelSelector }),
    core.listNamespacedPod({ namespace, labelSelector }),
    core.listNamespacedSecret({ namespace, labelSelector }),
    kubeConfig.makeApiClient(CoordinationV1Api).listNamespacedLease({ namespace, labelSelector: "app.kubernetes.io/component=agent-launch-lock" }),
  ]);
  return [
    ...jobs.items.map((item) => `job/${item.metadata?.name}`),
    ...pods.items.map((item) => `pod/${item.metadata?.name}`),
    ...secrets.items.map((item) => `secret/${item.metadata?.name}`),
    ...locks.items.map((item) => `lease/${item.metadata?.name}`),
  ];
}

describe("a real Paperclip server with the claude_k8s adapter", () => {
  let successRun: HeartbeatRun;
  let successAgent: { id: string; urlKey: string; model: ModelServer };

  test("installs the adapter from the workspace path through POST /api/adapters/install", async () => {
    const installed = await server.api.post("/adapters/install", { packageName: adapterDir, isLocalPath: true });
    expect(installed).toMatchObject({ type: "claude_k8s", packageName: adapterDir });
  });

  test("the environment test endpoint passes for the lab config", async () => {
    const model = await startModelServer({ script: [] });
    models.push(model);
    const result = await server.api.post<{ status: string; checks: Array<{ code: string; level: string }> }>(
      `/companies/${companyId}/adapters/claude_k8s/test-environment`,
      { adapterConfig: agentConfig(model) },
    );
    expect(result.checks.filter((check) => check.level === "error")).toEqual([]);
    expect(result.status).toBe("pass");
    expect(result.checks.map((check) => check.code)).toEqual(expect.arrayContaining(["k8s_api_reachable", "k8s_rbac_ok", "k8s_pvc_exists"]));
  });

  test("an issue assigned to the agent runs as a Job and succeeds, with the transcript, usage, cost and model recorded", async () => {
    successAgent = await createAgent("Kubernetes Agent", bashThenAnswer("echo hello from the pod; id -u; pwd", "The pod said hello as uid 1000."));
    const issueId = await assignIssue(successAgent.id, "Say hello from the cluster");
    successRun = await firstRunOf(successAgent.id, issueId);
    expect(successRun).toMatchObject({ status: "succeeded", exitCode: 0, errorCode: null, error: null });

    const events = streamJsonEvents(await runLogChunks(server.api, successRun.id));
    const types = events.map((event) => event.type);
    expect(types[0]).toBe("system");
    expect(types.at(-1)).toBe("result");
    const toolResult = events.find((event) => event.type === "user") as { message: { content: Array<{ content: string }> } };
    expect(toolResult.message.content[0]!.content).toContain("hello from the pod\n1000\n/paperclip/instances/default/workspaces/");
    expect(events.at(-1)).toMatchObject({ subtype: "success", is_error: false, result: "The pod said hello as uid 1000." });

    const usage = successRun.usageJson as Json;
    expect(usage).toMatchObject({ model: "claude-sonnet-4-6", provider: "anthropic", biller: "anthropic", billingType: "metered_api" });
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.outputTokens).toBeGreaterThan(0);
    expect(usage.costUsd).toBeGreaterThan(0);
    expect(successRun.sessionIdAfter).toBe((events[0] as { session_id: string }).session_id);

    // The task session is stored a moment after the run turns terminal.
    const sessions = await eventually("the stored task session", async () => {
      const stored = await server.api.get<Array<{ sessionDisplayId: string | null; taskKey: string }>>(`/agents/${successAgent.id}/task-sessions`);
      return stored.some((session) => session.sessionDisplayId === successRun.sessionIdAfter) ? stored : undefined;
    }, 30_000);
    expect(sessions.length).toBeGreaterThan(0);
    // claude wrote the session under the agent's own HOME in the pod: on the shared volume, so
    // the server's side of it has the file too (and no other agent's pod mounts it).
    const sessionFiles = readdirSync(path.join(server.dataDir, ".claude-k8s", "homes", successAgent.id, ".claude", "projects"), { recursive: true, encoding: "utf8" });
    expect(sessionFiles.filter((file) => file.endsWith(`${successRun.sessionIdAfter}.jsonl`))).toHaveLength(1);

    // The next run of the same issue resumes that session: claude is started with --resume
    // and the model is sent the first run's conversation. (Paperclip may hand the issue a
    // follow-up run by itself first: let those finish, then wake the agent on the issue.)
    await waitAgentIdle(server.api, companyId, successAgent.id);
    const requestsBefore = successAgent.model.requests.length;
    const woken = await server.api.post<HeartbeatRun>(`/agents/${successAgent.id}/wakeup`, { source: "on_demand", reason: "follow up", payload: { issueId } });
    const next = await waitForRun(server.api, woken.id, (run) => !["queued", "running"].includes(run.status), "to end");
    expect(next, `${next.errorCode}: ${next.error}`).toMatchObject({ status: "succeeded", sessionIdBefore: successRun.sessionIdAfter, sessionIdAfter: successRun.sessionIdAfter });
    const nextEvents = streamJsonEvents(await runLogChunks(server.api, next.id));
    expect(nextEvents[0]).toMatchObject({ type: "system", subtype: "init", session_id: successRun.sessionIdAfter });
    const resumed = successAgent.model.requests.slice(requestsBefore).find((request) => request.answeredBy === "script")!;
    const firstToolUseId = (events.find((event) => event.type === "assistant") as { message: { content: Array<{ id: string }> } }).message.content[0]!.id;
    expect(JSON.stringify(resumed.body.messages)).toContain(firstToolUseId);

    // Every run Paperclip handed to the adapter succeeded. (Paperclip itself may fail a
    // queued follow-up before invoking any adapter, e.g. once the issue is closed.)
    const all = await closeIssue(successAgent.id, issueId);
    const invoked = await adapterInvokedRuns(all);
    expect(invoked.length).toBeGreaterThanOrEqual(2);
    expect(invoked.filter((run) => run.status !== "succeeded").map((run) => [run.id, run.status, run.errorCode, run.error])).toEqual([]);
  });

  test("a run whose model answers 401 is recorded as claude_auth_required", async () => {
    const agent = await createAgent("Revoked Key Agent", unauthorized);
    const issueId = await assignIssue(agent.id, "Try with a revoked key");
    const run = await firstRunOf(agent.id, issueId);
    expect(run).toMatchObject({ status: "failed", errorCode: "claude_auth_required" });
    await closeIssue(agent.id, issueId);
  });

  test("a cancel through POST /api/heartbeat-runs/:id/cancel answers 200, is acknowledged, and leaves no Job, pod or Secret", async () => {
    const agent = await createAgent("Slow Agent", neverAnswers);
    const issueId = await assignIssue(agent.id, "Think for a long time");
    // Running in its pod: claude has asked the model, which never answers.
    const run = await eventually("the run's pod to be talking to the model", async () => {
      const [first] = await issueRuns(server.api, companyId, agent.id, issueId);
      return first?.status === "running" && agent.model.requests.some((request) => request.answeredBy === "script") ? first : undefined;
    }, 120_000);
    const response = await fetch(`${server.url}/api/heartbeat-runs/${run.id}/cancel`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const body = await response.text();
    expect(response.status, body).toBe(200);
    const cancelled = await waitForRun(server.api, run.id, (current) => current.status !== "running", "to be cancelled", 90_000);
    expect(cancelled.status).toBe("cancelled");
    expect((cancelled.resultJson as Json).executionCancellation).toMatchObject({ state: "acknowledged" });
    await closeIssue(agent.id, issueId);
    expect(await labLeftovers()).toEqual([]);
  });

  test("the run page in headless Chromium shows our transcript: tool call, tool result and answer as entries", async () => {
    const runPage = await openRunPage(`${server.url}/${companyPrefix}/agents/${successAgent.urlKey}/runs/${successRun.id}`);
    try {
      const { page } = runPage;
      // "Nice" view: our parser's tool_call and tool_result become one "Executed command"
      // entry (a generic stdout parser would show the raw JSON lines instead).
      const command = page.getByText("Executed command", { exact: true });
      await command.waitFor({ timeout: 30_000 });
      await page.getByRole("button", { name: "Expand command details" }).first().click();
      const nice = await runPage.transcriptText();
      expect(nice).toContain("echo hello from the pod; id -u; pwd");
      expect(nice).toMatch(/hello from the pod\n1000\n\/paperclip\/instances\/default\/workspaces\//);
      expect(nice).toContain("The pod said hello as uid 1000.");
      expect(nice).not.toContain('{"type":"assistant"');
      await runPage.keep("paperclip-run-page");

      // "Raw" view: one entry per parsed line, in transcript order.
      await page.getByRole("button", { name: /^raw$/i }).click();
      await page.getByText(/^tool_call$/i).first().waitFor();
      for (const label of [/^init$/i, /^tool_call$/i, /^tool_result$/i, /^assistant$/i, /^result$/i]) {
        expect(await page.getByText(label).count(), String(label)).toBe(1);
      }
      const raw = await runPage.transcriptText();
      const order = ["INIT", "TOOL_CALL", "TOOL_RESULT", "ASSISTANT", "RESULT"].map((label) => raw.indexOf(`\n${label}\n`));
      expect(order.every((position) => position > 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(raw.slice(order[1]!, order[2])).toContain("echo hello from the pod; id -u; pwd");
      expect(raw.slice(order[4]!)).toMatch(/The pod said hello as uid 1000\.\n[\d.]+k \/ \d+ \/ \$0\.\d+/);
      await runPage.keep("paperclip-run-page-raw");
    } finally {
      await runPage.close();
    }
  });

  test("nothing of ours is left in the lab", async () => {
    expect(await labLeftovers()).toEqual([]);
  });
});
