import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { apiError, type ModelServer, startModelServer, text, toolUse, toolResults } from "@claude-k8s/lab/source/model-server/index.ts";
import { adminClients, eventually, runLeftovers } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { describe, expect, it } from "vitest";
import { execute } from "./execute.ts";
import { allowInOperatorPolicy, useLabAgent } from "./test-utils/lab-agent.ts";
import { serviceAccountKubeconfig } from "./test-utils/lab-service-account.ts";
import { paperclipContext } from "./test-utils/paperclip-context.ts";
import { testEnvironment } from "./test-environment.ts";

// Paperclip's call, the real Claude Code CLI in a lab pod (run by kubelet-sim as uid 1000),
// the scripted model server in place of Anthropic's API. Only the model is a stand-in.
const agent = useLabAgent("adapter-e2e");
const configFor = (model: ModelServer, extra: Record<string, unknown> = {}) => agent.config(model, extra);

const leftovers = (runId: string) => runLeftovers(agent.namespace, runId);

describe("execute() in the lab with the real Claude Code CLI", () => {
  it("runs a tool call and answers: success, stream-json in the log, usage, cost, session; nothing left behind", async () => {
    const model = await startModelServer({ script: [toolUse("Bash", { command: "echo tool-ran-in-pod" }), text("All done.")] });
    try {
      const run = paperclipContext({ config: configFor(model) });
      const result = await execute(run.ctx);
      expect(result.errorMessage, JSON.stringify(run.chunks.slice(-8))).toBeUndefined();
      expect(result).toMatchObject({ exitCode: 0, signal: null, timedOut: false, provider: "anthropic", billingType: "metered_api", model: expect.stringContaining("claude") });
      expect(result.usage?.outputTokens).toBeGreaterThan(0);
      expect(typeof result.costUsd).toBe("number");
      expect(result.sessionDisplayId).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.sessionParams).toMatchObject({ sessionId: result.sessionDisplayId });
      expect(result.summary).toContain("All done.");
      expect(run.cancellationReady).toBe(1);
      expect(run.metas[0]?.commandNotes?.[0]).toMatch(/created Job/);
      const kinds = run.jsonLines().map((line) => line.type);
      expect(kinds).toContain("system");
      expect(kinds).toContain("assistant");
      expect(kinds.at(-1)).toBe("result");
      // The tool really ran in the pod: the model received its output.
      const results = model.requests.flatMap((request) => toolResults(request.body));
      expect(JSON.stringify(results)).toContain("tool-ran-in-pod");
      // Every chunk is one whole line.
      for (const { chunk } of run.chunks) expect(chunk.endsWith("\n") && !chunk.slice(0, -1).includes("\n")).toBe(true);
      await eventually("no leftovers", async () => ((await leftovers(run.ctx.runId)).length === 0 ? true : undefined));
    } finally {
      await model.close();
    }
  });

  it("reports a 401 from the model API as claude_auth_required", async () => {
    const model = await startModelServer({ script: [apiError(401, { repeat: "forever" })] });
    try {
      const run = paperclipContext({ config: configFor(model) });
      const result = await execute(run.ctx);
      expect(result.errorCode).toBe("claude_auth_required");
      expect(result.errorMessage).toBeTruthy();
      await eventually("no leftovers", async () => ((await leftovers(run.ctx.runId)).length === 0 ? true : undefined));
    } finally {
      await model.close();
    }
  });

  it("retries an unknown resume session once as a fresh session", async () => {
    const model = await startModelServer({ script: [text("Fresh start.")] });
    try {
      const run = paperclipContext({ config: configFor(model), sessionId: "00000000-0000-4000-8000-000000000000" });
      const result = await execute(run.ctx);
      expect(result.errorMessage).toBeUndefined();
      expect(result.sessionDisplayId).not.toBe("00000000-0000-4000-8000-000000000000");
      expect(run.chunks.some(({ chunk }) => chunk.includes("cannot be resumed; starting a fresh session"))).toBe(true);
      // The first pod's CLI said why in a structured result (the pod sets CLAUDE_CODE_STARTUP_FAILURE_RESULTS=1).
      const refusal = run.jsonLines().find((line) => line.type === "result" && line.is_error === true);
      expect(refusal).toMatchObject({ subtype: "error_during_execution", startup_failure_reason: "resume_target_not_found" });
      // The retry ran as a fresh session and succeeded: one scripted answer, a new session stored.
      expect(run.jsonLines().filter((line) => line.type === "result").at(-1)).toMatchObject({ is_error: false });
      expect(model.scriptedRequests()).toHaveLength(1);
      expect(result.sessionParams).toMatchObject({ sessionId: result.sessionDisplayId });
    } finally {
      await model.close();
    }
  });

  it("passes its environment test under the least-privilege ServiceAccount, and names what a bare one lacks", async () => {
    const model = await startModelServer({ script: [] });
    try {
      const passing = await testEnvironment({ companyId: "c", adapterType: "claude_k8s", config: configFor(model) });
      expect(passing.checks.filter((check) => check.level === "error")).toEqual([]);
      expect(passing.checks.map((check) => check.code)).toContain("k8s_rbac_ok");
      const bare = await serviceAccountKubeconfig(agent.namespace, { withRole: false, name: "bare-identity" });
      allowInOperatorPolicy("CLAUDE_K8S_ALLOW_KUBECONFIG", bare);
      const failing = await testEnvironment({ companyId: "c", adapterType: "claude_k8s", config: { ...configFor(model), kubeconfig: bare } });
      expect(failing.status).toBe("fail");
      const missing = failing.checks.find((check) => check.code === "k8s_rbac_missing");
      expect(missing?.message).toContain("create jobs.batch");
      expect(missing?.hint).toMatch(/Role/);
    } finally {
      await model.close();
    }
  });

  it("ships a skill the pod cannot see on a shared volume with the run, where claude looks for skills", async () => {
    const skillDir = mkdtempSync(path.join(tmpdir(), "skill-greeter-"));
    mkdirSync(path.join(skillDir, "notes"));
    writeFileSync(path.join(skillDir, "SKILL.md"), "---\nname: greeter\ndescription: greets\n---\nSay hello-from-the-skill.\n");
    writeFileSync(path.join(skillDir, "notes", "extra.txt"), "extra-file-content\n");
    const mounted = "/var/run/claude-k8s-skills/.claude/skills/greeter";
    const model = await startModelServer({ script: [toolUse("Bash", { command: `cat ${mounted}/SKILL.md ${mounted}/notes/extra.txt` }), text("Read the skill.")] });
    try {
      const run = paperclipContext({ config: { ...configFor(model), paperclipRuntimeSkills: [{ key: "acme/greeter", runtimeName: "greeter", source: skillDir, sourceStatus: "available" }] } });
      const result = await execute(run.ctx);
      expect(result.errorMessage).toBeUndefined();
      expect(run.chunks.some(({ chunk }) => chunk.includes("skills bundled: greeter (shipped with the run)"))).toBe(true);
      const seen = JSON.stringify(model.requests.flatMap((request) => toolResults(request.body)));
      expect(seen).toContain("hello-from-the-skill");
      expect(seen).toContain("extra-file-content");
    } finally {
      await model.close();
      rmSync(skillDir, { recursive: true, force: true });
    }
  });

  it("gives the pod credentials from Secrets of the Job namespace by reference, the value never in the Job, its Secret or the log", async () => {
    const value = `ghp_${randomUUID().replaceAll("-", "")}`;
    await adminClients().core.createNamespacedSecret({
      namespace: agent.namespace,
      body: { metadata: { name: "agent-credentials" }, stringData: { "gh-token": value, TEAM_SETTING: "from-env-from" } },
    });
    allowInOperatorPolicy("CLAUDE_K8S_ALLOW_ENV_SECRETS", "agent-credentials");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, run in the pod
    const probe = 'echo "token-length=${#GH_TOKEN} setting=$TEAM_SETTING"';
    const model = await startModelServer({ script: [toolUse("Bash", { command: probe }), text("Checked.")] });
    try {
      const run = paperclipContext({ config: configFor(model, { envSecretKeyRefs: { GH_TOKEN: "agent-credentials/gh-token" }, envFromSecrets: ["agent-credentials"] }) });
      const result = await execute(run.ctx);
      expect(result.errorMessage, JSON.stringify(run.chunks.slice(-8))).toBeUndefined();
      const seen = JSON.stringify(model.requests.flatMap((request) => toolResults(request.body)));
      expect(seen).toContain(`token-length=${value.length} setting=from-env-from`);
      expect(run.chunks.map(({ chunk }) => chunk).join("")).not.toContain(value);
    } finally {
      await model.close();
    }
  });

  it("refuses an invalid config with k8s_config_invalid naming the key", async () => {
    const run = paperclipContext({ config: { namespace: agent.namespace, timeoutSec: "soon" } });
    const result = await execute(run.ctx);
    expect(result.errorCode).toBe("k8s_config_invalid");
    expect(result.errorMessage).toContain("timeoutSec");
  });
});
