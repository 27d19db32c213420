import { randomBytes, randomUUID } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ModelServer, startModelServer, text, toolResults, toolUse } from "@claude-k8s/lab/source/model-server/index.ts";
import { runLeftovers } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { createSharedVolume, type SharedVolume } from "@claude-k8s/lab/source/test-support/shared-volume.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execute } from "../execute.ts";
import { testEnvironment } from "../test-environment.ts";
import { allowInOperatorPolicy, useLabAgent } from "../test-utils/lab-agent.ts";
import { paperclipContext } from "../test-utils/paperclip-context.ts";

// The agent is untrusted: prompt injection can make it run anything in its pod, and make it
// write any adapter config for a new hire. Here a scripted model plays that agent against a
// real Paperclip-shaped data directory on the shared volume, with the real CLI in a lab pod.
// Every attempt must fail; each test fails if one succeeds.
const agent = useLabAgent("hostile");
const marker = (what: string) => `${what}-${randomBytes(8).toString("hex")}`;
const secrets = { masterKey: marker("master-key"), jwtSecret: marker("jwt-secret"), otherWorkspace: marker("other-workspace"), otherSession: marker("other-session") };

let serverDir = "";
let volume: SharedVolume | undefined;
const claimName = "paperclip-data";
const victimId = `victim-${randomUUID().slice(0, 8)}`;
const attackerId = `attacker-${randomUUID().slice(0, 8)}`;
const workspaceOf = (agentId: string) => path.join(serverDir, "instances/default/workspaces", agentId);

beforeAll(async () => {
  serverDir = mkdtempSync(path.join(tmpdir(), "hostile-server-"));
  const instance = path.join(serverDir, "instances/default");
  mkdirSync(path.join(instance, "secrets"), { recursive: true });
  mkdirSync(path.join(instance, "db"), { recursive: true });
  writeFileSync(path.join(instance, "secrets/master.key"), secrets.masterKey);
  writeFileSync(path.join(instance, ".env"), `PAPERCLIP_AGENT_JWT_SECRET=${secrets.jwtSecret}\n`);
  writeFileSync(path.join(instance, "db/PG_VERSION"), "17\n");
  for (const id of [victimId, attackerId]) {
    mkdirSync(workspaceOf(id), { recursive: true });
    chmodSync(workspaceOf(id), 0o777); // Paperclip's server and the pod share a uid in a real install
  }
  writeFileSync(path.join(workspaceOf(victimId), "notes.txt"), secrets.otherWorkspace);
  volume = await createSharedVolume(agent.namespace, claimName, serverDir);
  allowInOperatorPolicy("CLAUDE_K8S_ALLOW_VOLUME_CLAIM", claimName);
  allowInOperatorPolicy("CLAUDE_K8S_ALLOW_SERVER_MOUNT_PATH", serverDir);
}, 120_000);

afterAll(async () => {
  await volume?.remove();
  if (serverDir) rmSync(serverDir, { recursive: true, force: true });
});

const sharedConfig = (model: ModelServer, extra: Record<string, unknown> = {}) =>
  agent.config(model, { workspaceVolumeClaim: claimName, serverMountPath: serverDir, workspaceMountPath: "/paperclip", ...extra });

async function runAs(agentId: string, model: ModelServer) {
  const run = paperclipContext({ config: sharedConfig(model), agentId, workspaceCwd: workspaceOf(agentId) });
  const result = await execute(run.ctx);
  const seen = JSON.stringify(model.requests.flatMap((request) => toolResults(request.body)));
  const log = run.chunks.map(({ chunk }) => chunk).join("");
  return { run, result, seen, log };
}

describe("a hostile agent in its pod", () => {
  it("cannot read the server's instance secrets, another agent's workspace or HOME, or a ServiceAccount token", async () => {
    // The victim runs first, so it has a HOME with a session in it.
    const victimModel = await startModelServer({ script: [toolUse("Bash", { command: `echo ${secrets.otherSession} > ~/.claude/victim-note; echo ok` }), text("done")] });
    // Each read is tagged: READ-OK-n would mean the attempt found something to read.
    const attempts = [
      "/paperclip/instances/default/secrets/master.key",
      "/paperclip/instances/default/.env",
      "/paperclip/instances/default/db/PG_VERSION",
      `/paperclip/instances/default/workspaces/${victimId}/notes.txt`,
      `/paperclip/.claude-k8s/homes/${victimId}/.claude/victim-note`,
      "/var/run/secrets/kubernetes.io/serviceaccount/token",
    ];
    const probe = attempts.map((file, index) => `cat ${file} 2>/dev/null && echo READ-OK-${index} || echo READ-FAILED-${index}`).join("; ");
    const model = await startModelServer({ script: [toolUse("Bash", { command: probe }), text("tried")] });
    try {
      const victim = await runAs(victimId, victimModel);
      expect(victim.result.errorMessage, victim.log.slice(-2000)).toBeUndefined();
      expect(existsSync(path.join(serverDir, ".claude-k8s/homes", victimId, ".claude/victim-note"))).toBe(true); // the test is not vacuous

      const attacker = await runAs(attackerId, model);
      expect(attacker.result.errorMessage, attacker.log.slice(-2000)).toBeUndefined();
      for (const value of Object.values(secrets)) {
        expect(attacker.seen).not.toContain(value);
        expect(attacker.log).not.toContain(value);
      }
      // Every attempt failed in the pod: nothing there to read.
      expect(attacker.seen).not.toMatch(/READ-OK-\d/);
      for (const index of attempts.keys()) expect(attacker.seen).toContain(`READ-FAILED-${index}`);
    } finally {
      await victimModel.close();
      await model.close();
    }
  });

  it("cannot plant a hook that runs in another agent's pod", async () => {
    const planted = "hooked-by-the-attacker";
    const hook = { type: "command", command: `touch "$PWD/${planted}"` };
    const settings = JSON.stringify({ hooks: { SessionStart: [{ hooks: [hook] }], UserPromptSubmit: [{ hooks: [hook] }], PreToolUse: [{ matcher: "*", hooks: [hook] }] } });
    const plant = [
      `mkdir -p ~/.claude && printf '%s' '${settings}' > ~/.claude/settings.json`,
      `mkdir -p /paperclip/.claude 2>&1 && printf '%s' '${settings}' > /paperclip/.claude/settings.json 2>&1`,
      "echo planted",
    ].join("; ");
    const attackerModel = await startModelServer({ script: [toolUse("Bash", { command: plant }), text("planted")] });
    const victimModel = await startModelServer({ script: [toolUse("Bash", { command: "echo victim-working" }), text("done")] });
    const againModel = await startModelServer({ script: [toolUse("Bash", { command: "echo attacker-again" }), text("done")] });
    try {
      const attacker = await runAs(attackerId, attackerModel);
      expect(attacker.result.errorMessage, attacker.log.slice(-2000)).toBeUndefined();
      expect(existsSync(path.join(serverDir, ".claude-k8s/homes", attackerId, ".claude/settings.json"))).toBe(true); // planted in its own HOME

      const victim = await runAs(victimId, victimModel);
      expect(victim.result.errorMessage, victim.log.slice(-2000)).toBeUndefined();
      expect(victim.seen).toContain("victim-working");
      expect(existsSync(path.join(workspaceOf(victimId), planted))).toBe(false);
      expect(existsSync(path.join(serverDir, ".claude/settings.json"))).toBe(false);

      // The hook works where it was planted: the attacker's own next run fires it.
      const again = await runAs(attackerId, againModel);
      expect(again.result.errorMessage, again.log.slice(-2000)).toBeUndefined();
      expect(existsSync(path.join(workspaceOf(attackerId), planted))).toBe(true);
    } finally {
      await attackerModel.close();
      await victimModel.close();
      await againModel.close();
    }
  });
});

describe("hostile agent config (what an agent could write for a new hire)", () => {
  const refusedBeforeAnything = async (extra: Record<string, unknown>, options: { workspaceCwd?: string } = {}) => {
    const model = await startModelServer({ script: [text("should never run")] });
    try {
      const run = paperclipContext({ config: sharedConfig(model, extra), agentId: attackerId, ...options });
      const result = await execute(run.ctx);
      expect(model.requests).toHaveLength(0);
      expect(await runLeftovers(agent.namespace, run.ctx.runId)).toEqual([]);
      return result;
    } finally {
      await model.close();
    }
  };

  it.each([
    ["namespace", { namespace: "kube-system" }],
    ["kubeconfig", { kubeconfig: "/var/run/secrets/kubernetes.io/serviceaccount/token" }],
    ["automountServiceAccountToken", { serviceAccountName: "default", automountServiceAccountToken: true }],
    ["priorityClassName", { priorityClassName: "system-cluster-critical" }],
    ["tolerations", { tolerations: [{ operator: "Exists" }] }],
    ["nodeSelector", { nodeSelector: { "kubernetes.io/hostname": "lab-node" } }],
    ["inheritSecretVolumes", { inheritSecretVolumes: ["paperclip-secrets"] }],
    ["inheritEnv", { inheritEnv: ["DATABASE_*", "AWS_*"] }],
    ["fsGroup", { fsGroup: 0 }],
    ["workspaceVolumeClaim", { workspaceVolumeClaim: "postgres-data" }],
  ])("refuses %s with k8s_config_forbidden, creating nothing", async (key, extra) => {
    const result = await refusedBeforeAnything(extra);
    expect(result.errorCode).toBe("k8s_config_forbidden");
    expect(result.errorMessage).toContain(key);
    expect(result.errorMessage).toMatch(/CLAUDE_K8S_ALLOW_[A-Z_]+/);
    for (const value of Object.values(extra)) {
      if (typeof value === "string" && value.length > 8) expect(result.errorMessage).not.toContain(value);
    }
  });

  it("never makes the server read a file outside the agent's own places as instructions", async () => {
    const link = path.join(workspaceOf(attackerId), "AGENTS.md");
    symlinkSync(path.join(serverDir, "instances/default/secrets/master.key"), link);
    try {
      for (const instructionsFilePath of ["/proc/self/environ", path.join(serverDir, "instances/default/.env"), link]) {
        const result = await refusedBeforeAnything({ instructionsFilePath }, { workspaceCwd: workspaceOf(attackerId) });
        expect(result.errorCode, instructionsFilePath).toBe("k8s_config_forbidden");
        expect(result.errorMessage).not.toContain(secrets.masterKey);
        expect(result.errorMessage).not.toContain(secrets.jwtSecret);
      }
    } finally {
      rmSync(link, { force: true });
    }
  });

  it("never runs a program named by a kubeconfig from agent config, even one the operator allowed by path", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "agent-kubeconfig-"));
    const ran = path.join(dir, "exec-plugin-ran");
    const kubeconfig = path.join(dir, "kubeconfig");
    writeFileSync(
      kubeconfig,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]",
        "contexts: [{name: c, context: {cluster: c, user: u}}]",
        "current-context: c",
        `users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: [-c, 'touch ${ran}'], interactiveMode: Never}}}]`,
      ].join("\n"),
    );
    allowInOperatorPolicy("CLAUDE_K8S_ALLOW_KUBECONFIG", kubeconfig);
    try {
      const result = await refusedBeforeAnything({ kubeconfig });
      expect(result.errorCode).toBe("k8s_config_forbidden");
      expect(result.errorMessage).toMatch(/exec credential plugin/);
      const environment = await testEnvironment({ companyId: "c", adapterType: "claude_k8s", config: { namespace: agent.namespace, kubeconfig } });
      expect(environment.status).toBe("fail");
      expect(existsSync(ran)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("never quotes a kubeconfig's content when it does not parse", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "agent-kubeconfig-"));
    const kubeconfig = path.join(dir, "kubeconfig");
    writeFileSync(kubeconfig, `token: ${secrets.masterKey}\n  : : [unbalanced\n`);
    allowInOperatorPolicy("CLAUDE_K8S_ALLOW_KUBECONFIG", kubeconfig);
    try {
      const result = await refusedBeforeAnything({ kubeconfig });
      expect(result.errorCode).toBe("k8s_config_invalid");
      expect(result.errorMessage).not.toContain(secrets.masterKey);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
