// The adapter under a real Paperclip server with no shared volume anywhere: the server's data
// directory is on its own disk, and every agent gets a ReadWriteOnce claim of its own in the lab
// (bound by the lab's provisioner, the cluster's default StorageClass). An agent without a
// project runs and resumes its session; an agent on a project whose repository the lab's git
// server serves clones it in its pod, commits and pushes.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { type ModelServer, type ScriptFunction, startModelServer } from "@claude-k8s/lab/source/model-server/index.ts";
import { type GitServer, startGitServer } from "@claude-k8s/lab/source/test-support/git-server.ts";
import { adminClients, eventually } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { allowInOperatorPolicy, useLabAgent } from "../../adapter/source/test-utils/lab-agent.ts";
import { bashThenAnswer } from "./model-scripts.ts";
import type { Json } from "./paperclip-api.ts";
import { ensurePaperclipInstalled } from "./paperclip-install.ts";
import { type PaperclipServer, startPaperclip } from "./paperclip-server.ts";
import { type HeartbeatRun, issueRuns, runLogChunks, streamJsonEvents, waitAgentIdle, waitForRun } from "./runs.ts";

const lab = useLabAgent("paperclip-rwo");
const log = (line: string) => process.stderr.write(`[paperclip-e2e] ${line}\n`);
const adapterDir = path.resolve(import.meta.dirname, "../../adapter");
const credentials = { username: "agent", password: `token-${randomUUID()}` };

let server: PaperclipServer;
let git: GitServer;
let companyId: string;
const models: ModelServer[] = [];

beforeAll(async () => {
  // The operator's policy is the server's environment: set before it starts.
  allowInOperatorPolicy("CLAUDE_K8S_ALLOW_ENV_SECRETS", "git-credentials");
  server = await startPaperclip({ bin: ensurePaperclipInstalled(log), log });
  // Public reads (Paperclip's server clones a project's repository on its own side too), pushes with the token.
  git = await startGitServer(credentials, { anonymousRead: true });
  await adminClients().core.createNamespacedSecret({ namespace: lab.namespace, body: { metadata: { name: "git-credentials" }, stringData: credentials } });
  await server.api.post("/adapters/install", { packageName: adapterDir, isLocalPath: true });
  const company = await server.api.post("/companies", { name: "No Shared Volume" });
  companyId = String(company.id);
}, 900_000);

afterAll(async () => {
  await Promise.all(models.map((model) => model.close()));
  await git?.close();
  await server?.stop();
});

/** No workspaceVolumeClaim and no server pod to inherit one from: agent-volume mode. */
async function createAgent(name: string, script: ScriptFunction): Promise<{ id: string; model: ModelServer }> {
  const model = await startModelServer({ script });
  models.push(model);
  const agent = await server.api.post(`/companies/${companyId}/agents`, {
    name,
    adapterType: "claude_k8s",
    adapterConfig: lab.config(model, {
      env: { ...(lab.config(model).env as Json), PAPERCLIP_API_URL: server.url },
      gitCredentialsSecret: "git-credentials",
      envSecretKeyRefs: { GIT_PASSWORD: "git-credentials/password" },
    }),
  });
  return { id: String(agent.id), model };
}

async function firstRunOf(agentId: string, issueId: string): Promise<HeartbeatRun> {
  const [first] = await eventually(`a run of issue ${issueId}`, async () => {
    const runs = await issueRuns(server.api, companyId, agentId, issueId);
    return runs.length > 0 ? runs : undefined;
  }, 60_000);
  return waitForRun(server.api, first!.id, (run) => !["queued", "running"].includes(run.status), "to end");
}

describe("a real Paperclip server without a shared volume", () => {
  test("an agent without a project runs on its own volume, and its next run resumes the session", async () => {
    const agent = await createAgent("Solo Agent", bashThenAnswer("pwd; echo $HOME; echo remembered > note.txt", "Noted."));
    const issue = await server.api.post(`/companies/${companyId}/issues`, { title: "Take a note", description: "Write it down.", assigneeAgentId: agent.id, status: "todo" });
    const issueId = String(issue.id);
    const first = await firstRunOf(agent.id, issueId);
    expect(first, `${first.errorCode}: ${first.error}`).toMatchObject({ status: "succeeded", errorCode: null });
    expect(first.resultJson).toMatchObject({ workspaceMode: "agent-volume", agentVolumeClaim: expect.stringMatching(/^ck8s-agent-/) });
    const logText = (await runLogChunks(server.api, first.id)).map(({ chunk }) => chunk).join("");
    expect(logText).toContain("workspace mode: agent-volume");
    const events = streamJsonEvents(await runLogChunks(server.api, first.id));
    const toolResult = events.find((event) => event.type === "user") as { message: { content: Array<{ content: string }> } };
    expect(toolResult.message.content[0]!.content).toContain("/paperclip/workspace\n/paperclip/home");

    await waitAgentIdle(server.api, companyId, agent.id);
    const woken = await server.api.post<Partial<HeartbeatRun>>(`/agents/${agent.id}/wakeup`, { source: "on_demand", reason: "follow up", payload: { issueId } });
    // Paperclip answers a wakeup it folds into a run it queued itself (a follow-up on the
    // issue) without a run id: then that run, the newest of the issue, is the next one.
    const nextId =
      woken.id ??
      (await eventually("the issue's next run", async () => (await issueRuns(server.api, companyId, agent.id, issueId)).find((run) => run.id !== first.id)?.id, 60_000));
    const next = await waitForRun(server.api, nextId, (run) => !["queued", "running"].includes(run.status), "to end");
    expect(next, `${next.errorCode}: ${next.error}`).toMatchObject({ status: "succeeded", sessionIdBefore: first.sessionIdAfter, sessionIdAfter: first.sessionIdAfter });
    await server.api.patch(`/issues/${issueId}`, { status: "done" });
    await waitAgentIdle(server.api, companyId, agent.id);
  });

  test("an agent on a project whose repository the lab serves clones it, commits and pushes", async () => {
    const repo = `app-${randomUUID().slice(0, 6)}`;
    git.createRepository(repo);
    const push = `git -c credential.helper= -c 'credential.helper=!f() { echo username=agent; echo "password=$GIT_PASSWORD"; }; f' push -q origin HEAD`;
    const agent = await createAgent(
      "Coder",
      bashThenAnswer(
        `test -f pushed.txt && echo already-pushed || { echo from-the-pod > pushed.txt && git add pushed.txt && git -c user.name=agent -c user.email=agent@lab.local commit -qm "commit from the agent pod" && ${push} && echo pushed-ok; }`,
        "Pushed.",
      ),
    );
    const project = await server.api.post(`/companies/${companyId}/projects`, {
      name: "Lab App",
      status: "in_progress",
      workspace: { name: repo, repoUrl: git.url(repo), repoRef: "main", isPrimary: true },
    });
    const issue = await server.api.post(`/companies/${companyId}/issues`, {
      title: "Commit and push",
      description: "Add a file and push it.",
      assigneeAgentId: agent.id,
      projectId: String(project.id),
      status: "todo",
    });
    const issueId = String(issue.id);
    const run = await firstRunOf(agent.id, issueId);
    expect(run, `${run.errorCode}: ${run.error}`).toMatchObject({ status: "succeeded", errorCode: null });
    expect(run.resultJson).toMatchObject({ workspaceMode: "agent-volume", checkout: { repoUrl: git.url(repo), repoRef: "main" } });
    const logText = (await runLogChunks(server.api, run.id)).map(({ chunk }) => chunk).join("");
    expect(logText).toContain("pushed-ok");
    expect(git.git(repo, "log", "--format=%s", "main")).toContain("commit from the agent pod");
    expect(logText).not.toContain(credentials.password);
    await server.api.patch(`/issues/${issueId}`, { status: "done" });
    await waitAgentIdle(server.api, companyId, agent.id);
  });
});
