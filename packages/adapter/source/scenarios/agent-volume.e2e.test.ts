import { randomUUID } from "node:crypto";
import { createKubeClient, sweepAgentVolumes } from "@claude-k8s/k8s-runtime";
import { agentVolumeClaimName } from "@claude-k8s/manifest";
import { type ModelServer, startModelServer, text, toolResults, toolUse } from "@claude-k8s/lab/source/model-server/index.ts";
import { adminClients, eventually, runLeftovers } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { describe, expect, it } from "vitest";
import { execute } from "../execute.ts";
import { testEnvironment } from "../test-environment.ts";
import { runtimeFor, resolveKubeTarget } from "../kube-access.ts";
import { allowInOperatorPolicy, useLabAgent } from "../test-utils/lab-agent.ts";
import { paperclipContext } from "../test-utils/paperclip-context.ts";

// No shared volume anywhere: each agent gets a ReadWriteOnce claim of its own (bound by the
// lab's provisioner, as a cluster's default StorageClass would), holding its HOME and its
// workspace. Paperclip's fallback workspace is a server path the pod never sees.
const agent = useLabAgent("agent-volume");
const fallbackCwd = (agentId: string) => `/srv/paperclip/instances/default/workspaces/${agentId}`;
const noLeftovers = (runId: string) => eventually("no leftovers", async () => ((await runLeftovers(agent.namespace, runId)).length === 0 ? true : undefined), 150_000);

async function runAgent(agentId: string, model: ModelServer, extra: Record<string, unknown> = {}, sessionId?: string) {
  const run = paperclipContext({ config: agent.config(model, extra), agentId, workspaceCwd: fallbackCwd(agentId), ...(sessionId ? { sessionId } : {}) });
  const result = await execute(run.ctx);
  const log = run.chunks.map(({ chunk }) => chunk).join("");
  return { run, result, log, seen: JSON.stringify(model.requests.flatMap((request) => toolResults(request.body))) };
}

describe("agent-volume mode (no shared volume)", () => {
  it("runs an agent without a project on its own volume, and its next run resumes the session and finds its files", async () => {
    const agentId = `solo-${randomUUID().slice(0, 8)}`;
    const first = await startModelServer({ script: [toolUse("Bash", { command: "pwd; echo $HOME; echo kept-across-runs > note.txt; echo wrote" }), text("First run done.")] });
    const second = await startModelServer({ script: [toolUse("Bash", { command: "cat note.txt" }, { id: "toolu_second_run" }), text("Second run done.")] });
    try {
      const one = await runAgent(agentId, first);
      expect(one.result.errorMessage, one.log.slice(-3000)).toBeUndefined();
      expect(one.log).toContain(`workspace mode: agent-volume (the agent's own claim ${agent.namespace}/${agentVolumeClaimName(agentId)}`);
      expect(one.result.resultJson).toMatchObject({ workspaceMode: "agent-volume", agentVolumeClaim: agentVolumeClaimName(agentId) });
      expect(one.seen).toContain("/paperclip/workspace");
      expect(one.seen).toContain("/paperclip/home");
      // Paperclip stores the server's cwd with the session: it is what it handed over.
      expect(one.result.sessionParams).toMatchObject({ cwd: fallbackCwd(agentId) });
      await noLeftovers(one.run.ctx.runId);

      const two = await runAgent(agentId, second, {}, one.result.sessionDisplayId ?? undefined);
      expect(two.result.errorMessage, two.log.slice(-3000)).toBeUndefined();
      expect(two.log).not.toContain("cannot be resumed");
      expect(two.result.sessionDisplayId).toBe(one.result.sessionDisplayId);
      expect(two.seen).toContain("kept-across-runs");
      // The resumed conversation carries the first run's turn to the model.
      expect(JSON.stringify(second.requests[0]?.body)).toContain("First run done.");
      await noLeftovers(two.run.ctx.runId);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it("fails fast with k8s_volume_pending when the claim cannot bind, and leaves no Job, pod or Secret", async () => {
    const agentId = `pending-${randomUUID().slice(0, 8)}`;
    allowInOperatorPolicy("CLAUDE_K8S_ALLOW_STORAGE_CLASS", "no-such-class");
    const model = await startModelServer({ script: [text("never")] });
    try {
      const { run, result } = await runAgent(agentId, model, { agentVolumeStorageClass: "no-such-class", podScheduleTimeoutSec: 3 });
      expect(result.errorCode).toBe("k8s_volume_pending");
      expect(result.errorMessage).toMatch(/still Pending after \d+ s.*(kubectl describe pvc|agentVolumeStorageClass)/);
      expect(await runLeftovers(agent.namespace, run.ctx.runId)).toEqual([]);
      expect(model.requests).toEqual([]);
    } finally {
      await model.close();
    }
  });

  it("never mounts one agent's volume in another agent's pod (hostile agent config)", async () => {
    const victimId = `victim-${randomUUID().slice(0, 8)}`;
    const attackerId = `attacker-${randomUUID().slice(0, 8)}`;
    const model = await startModelServer({ script: [text("never")] });
    const { core } = adminClients();
    try {
      // A prompt-injected agent hires an agent whose config names the victim's volume as "shared".
      const byName = await runAgent(attackerId, model, { workspaceVolumeClaim: agentVolumeClaimName(victimId) });
      expect(byName.result.errorCode).toBe("k8s_config_forbidden");
      // Even an operator who allows any claim never gets an agent volume mounted as a shared one.
      const before = process.env.CLAUDE_K8S_ALLOW_VOLUME_CLAIM;
      process.env.CLAUDE_K8S_ALLOW_VOLUME_CLAIM = "*";
      try {
        const allowed = await runAgent(attackerId, model, { workspaceVolumeClaim: agentVolumeClaimName(victimId) });
        expect(allowed.result.errorCode).toBe("k8s_mount_forbidden");
        expect(await runLeftovers(agent.namespace, allowed.run.ctx.runId)).toEqual([]);
      } finally {
        if (before === undefined) delete process.env.CLAUDE_K8S_ALLOW_VOLUME_CLAIM;
        else process.env.CLAUDE_K8S_ALLOW_VOLUME_CLAIM = before;
      }
      // A claim planted under the attacker's volume name, labelled as the victim's, is not adopted.
      await core.createNamespacedPersistentVolumeClaim({
        namespace: agent.namespace,
        body: {
          metadata: {
            name: agentVolumeClaimName(attackerId),
            labels: { "app.kubernetes.io/component": "agent-volume", "paperclip.io/adapter-type": "claude_k8s", "paperclip.io/agent-id": victimId },
            annotations: { "paperclip.io/agent-id": victimId },
          },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        },
      });
      const planted = await runAgent(attackerId, model);
      expect(planted.result.errorCode).toBe("k8s_mount_forbidden");
      expect(planted.result.errorMessage).toMatch(/belongs to another agent/);
      expect(await runLeftovers(agent.namespace, planted.run.ctx.runId)).toEqual([]);
      expect(model.requests).toEqual([]);
    } finally {
      await model.close();
    }
  });

  it("doctor (the environment test) reports agent-volume mode and the agent volumes there are", async () => {
    const model = await startModelServer({ script: [] });
    try {
      const result = await testEnvironment({ companyId: "c", adapterType: "claude_k8s", config: agent.config(model) });
      expect(result.checks.filter((check) => check.level === "error")).toEqual([]);
      const mode = result.checks.find((check) => check.code === "k8s_agent_volume_mode");
      expect(mode?.message).toMatch(/agent-volume mode.*\d+ agent volumes? in /);
    } finally {
      await model.close();
    }
  });

  it("lists agent volumes with sweep --volumes (dry run by default) and deletes one only when asked", async () => {
    const agentId = `swept-${randomUUID().slice(0, 8)}`;
    const model = await startModelServer({ script: [text("hello")] });
    try {
      const { result } = await runAgent(agentId, model);
      expect(result.errorMessage).toBeUndefined();
    } finally {
      await model.close();
    }
    const runtime = await runtimeFor(resolveKubeTarget(agent.kubeconfig));
    const name = agentVolumeClaimName(agentId);
    const dry = await sweepAgentVolumes(runtime.client, agent.namespace, { delete: false });
    expect(dry.volumes.map((volume) => volume.name)).toContain(name);
    expect(dry.volumes.find((volume) => volume.name === name)).toMatchObject({ agentId, phase: "Bound" });
    expect(dry.deleted).toEqual([]);
    const { core, kubeConfig } = adminClients();
    expect((await core.readNamespacedPersistentVolumeClaim({ name, namespace: agent.namespace })).metadata?.name).toBe(name);
    // Deleting is the operator's explicit act, with the operator's own rights (the adapter's Role cannot).
    const admin = await createKubeClient(kubeConfig);
    try {
      const swept = await sweepAgentVolumes(admin, agent.namespace, { delete: true });
      expect(swept.deleted).toContain(name);
      await eventually("claim gone", async () => ((await core.listNamespacedPersistentVolumeClaim({ namespace: agent.namespace })).items.some((claim) => claim.metadata?.name === name) ? undefined : true), 60_000);
    } finally {
      admin.close();
    }
  });
});
