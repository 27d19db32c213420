import { randomUUID } from "node:crypto";
import { startModelServer, text, toolResults, toolUse } from "@claude-k8s/lab/source/model-server/index.ts";
import { startGitServer, type GitServer } from "@claude-k8s/lab/source/test-support/git-server.ts";
import { adminClients, runLeftovers } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execute } from "../execute.ts";
import { allowInOperatorPolicy, useLabAgent } from "../test-utils/lab-agent.ts";
import { paperclipContext } from "../test-utils/paperclip-context.ts";

// A project workspace with a repository, without a shared volume: the pod's checkout init
// container clones it from the lab's git server (smart HTTP, Basic auth) into the agent's
// own volume with credentials from a Secret, and the agent commits and pushes.
const agent = useLabAgent("git-workspace");
const credentials = { username: "agent", password: `token-${randomUUID()}` };
let gitServer: GitServer | undefined;

beforeAll(async () => {
  gitServer = await startGitServer(credentials);
  const { core } = adminClients();
  for (const [name, password] of [["git-credentials", credentials.password], ["git-wrong", "not-the-token"]] as const) {
    await core.createNamespacedSecret({ namespace: agent.namespace, body: { metadata: { name }, stringData: { username: credentials.username, password } } });
  }
  allowInOperatorPolicy("CLAUDE_K8S_ALLOW_ENV_SECRETS", "git-credentials");
  allowInOperatorPolicy("CLAUDE_K8S_ALLOW_ENV_SECRETS", "git-wrong");
});

afterAll(async () => {
  await gitServer?.close();
});

function projectRun(model: Parameters<typeof agent.config>[0], repo: string, options: { repoRef?: string; secret?: string } = {}) {
  const run = paperclipContext({
    config: agent.config(model, {
      gitCredentialsSecret: options.secret ?? "git-credentials",
      // The agent pushes as Paperclip agents do, with a token it is given.
      envSecretKeyRefs: { GIT_PASSWORD: "git-credentials/password" },
    }),
    agentId: `coder-${randomUUID().slice(0, 8)}`,
  });
  run.ctx.context.paperclipWorkspace = {
    cwd: `/srv/paperclip/instances/default/projects/company-e2e/project-1/${repo}`,
    source: "project_primary",
    projectId: "project-1",
    workspaceId: `workspace-${repo}`,
    repoUrl: gitServer!.url(repo),
    repoRef: options.repoRef ?? "main",
    strategy: "project_primary",
  };
  return run;
}

describe("a project workspace with a git repository, on the agent's own volume", () => {
  it("clones at Paperclip's ref; the agent commits and pushes, and the commit is in the repository", async () => {
    const repo = `app-${randomUUID().slice(0, 6)}`;
    gitServer!.createRepository(repo);
    const push = `git -c credential.helper= -c 'credential.helper=!f() { echo username=agent; echo "password=$GIT_PASSWORD"; }; f' push -q origin HEAD && echo pushed-ok`;
    const model = await startModelServer({
      script: [
        toolUse("Bash", {
          command: `pwd && git log --oneline -1 && echo change > agent.txt && git add agent.txt && git -c user.name=agent -c user.email=agent@lab.local commit -qm "agent commit" && ${push}`,
        }),
        text("Committed and pushed."),
      ],
    });
    try {
      const run = projectRun(model, repo);
      const result = await execute(run.ctx);
      const log = run.chunks.map(({ chunk }) => chunk).join("");
      expect(result.errorMessage, log.slice(-3000)).toBeUndefined();
      const seen = JSON.stringify(model.requests.flatMap((request) => toolResults(request.body)));
      expect(seen).toContain("/paperclip/projects/workspace-");
      expect(seen).toContain("initial commit");
      expect(seen).toContain("pushed-ok");
      expect(gitServer!.git(repo, "log", "--format=%s", "main")).toContain("agent commit");
      expect(result.resultJson).toMatchObject({ workspaceMode: "agent-volume", checkout: { repoUrl: gitServer!.url(repo), repoRef: "main" } });
      // The token never stands in the spec or the log.
      expect(log).not.toContain(credentials.password);
      expect(JSON.stringify(run.metas)).not.toContain(credentials.password);
    } finally {
      await model.close();
    }
  });

  it("fails fast with k8s_git_checkout_failed naming refused credentials, and leaves nothing behind", async () => {
    const repo = `locked-${randomUUID().slice(0, 6)}`;
    gitServer!.createRepository(repo);
    const model = await startModelServer({ script: [text("never")] });
    try {
      const run = projectRun(model, repo, { secret: "git-wrong" });
      const result = await execute(run.ctx);
      expect(result.errorCode).toBe("k8s_git_checkout_failed");
      expect(result.errorMessage).toMatch(/refused the credentials from gitCredentialsSecret; fix: set gitCredentialsSecret/);
      expect(result.errorMessage).not.toContain("not-the-token");
      expect(await runLeftovers(agent.namespace, run.ctx.runId)).toEqual([]);
      expect(model.requests).toEqual([]);
    } finally {
      await model.close();
    }
  });

  it("fails fast naming a ref the repository does not have", async () => {
    const repo = `noref-${randomUUID().slice(0, 6)}`;
    gitServer!.createRepository(repo);
    const model = await startModelServer({ script: [text("never")] });
    try {
      const run = projectRun(model, repo, { repoRef: "release-9" });
      const result = await execute(run.ctx);
      expect(result.errorCode).toBe("k8s_git_checkout_failed");
      expect(result.errorMessage).toMatch(/ref release-9 does not exist/);
      expect(await runLeftovers(agent.namespace, run.ctx.runId)).toEqual([]);
    } finally {
      await model.close();
    }
  });
});
