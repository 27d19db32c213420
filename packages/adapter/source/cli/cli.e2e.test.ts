import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { apiError, startModelServer, text, toolUse } from "@claude-k8s/lab/source/model-server/index.ts";
import { agentJobSelector } from "@claude-k8s/manifest";
import { adminClients } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { describe, expect, it } from "vitest";
import { useLabAgent } from "../test-utils/lab-agent.ts";
import { main } from "./main.ts";

// The claude-k8s CLI against the lab, the real Claude Code CLI in the pod.
const agent = useLabAgent("cli-e2e");

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text: string) => void out.push(text), err: (text: string) => void err.push(text), color: false }, text: () => out.join(""), errors: () => err.join("") };
}

function configFile(config: Record<string, unknown>): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "cli-e2e-")), "config.json");
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** What doctor's probe left in the namespace (its Job, pods and Secret carry the probe agent's labels). */
async function probeLeftovers(): Promise<string[]> {
  const { core, batch } = adminClients();
  const labelSelector = agentJobSelector("claude-k8s-doctor");
  const [jobs, pods, secrets] = await Promise.all([batch.listNamespacedJob({ namespace: agent.namespace, labelSelector }), core.listNamespacedPod({ namespace: agent.namespace, labelSelector }), core.listNamespacedSecret({ namespace: agent.namespace, labelSelector })]);
  return [...jobs.items, ...pods.items, ...secrets.items].map((item) => `${item.kind ?? "object"}/${item.metadata?.name}`);
}

describe("claude-k8s against the lab", () => {
  it("run: prints the transcript live and a summary, exits 0 on success", async () => {
    const model = await startModelServer({ script: [toolUse("Bash", { command: "echo from-the-pod" }), text("Finished.")] });
    try {
      const { io, text: output } = capture();
      const status = await main(["run", "--config", configFile(agent.config(model)), "--prompt", "Run echo, then finish."], io);
      expect(status, output()).toBe(0);
      expect(output()).toContain("→ Bash");
      expect(output()).toContain("from-the-pod");
      expect(output()).toContain("Finished.");
      expect(output()).toMatch(/outcome {3}success/);
      expect(output()).toMatch(new RegExp(`job {7}${agent.namespace}/ac-cli-agent-`));
      // The prompt reached the model as given (no template around it).
      expect(JSON.stringify(model.requests[0]?.body)).toContain("Run echo, then finish.");
    } finally {
      await model.close();
    }
  });

  it("run --json: only the result on stdout, the transcript on stderr; exit 1 when the model fails, 4 for a bad config", async () => {
    const model = await startModelServer({ script: [apiError(401, { repeat: "forever" })] });
    try {
      const { io, text: output, errors } = capture();
      expect(await main(["run", "--json", "--config", configFile(agent.config(model)), "--prompt", "hi"], io)).toBe(1);
      expect(JSON.parse(output())).toMatchObject({ errorCode: "claude_auth_required" });
      expect(errors()).toMatch(/outcome {3}claude_auth_required/);
      const bad = capture();
      expect(await main(["run", "--json", "--config", configFile({ ...agent.config(model), timeoutSec: "soon" }), "--prompt", "hi"], bad.io)).toBe(4);
      expect(JSON.parse(bad.text())).toMatchObject({ errorCode: "k8s_config_invalid" });
    } finally {
      await model.close();
    }
  });

  it("doctor: a probe pod that cannot start is a failed check with the kubelet's reason and a fix, within the probe's deadline, and nothing left", async () => {
    const model = await startModelServer({ script: [] });
    try {
      const doctor = capture();
      expect(await main(["doctor", "--json", "--config", configFile(agent.config(model, { image: "lab.local/missing:1" }))], doctor.io), doctor.errors()).toBe(1);
      const failed = (JSON.parse(doctor.text()).checks as { code: string; message: string; detail?: string; hint?: string }[]).find((check) => check.code === "k8s_probe_failed");
      expect(failed?.message).toContain("lab.local/missing:1");
      expect(failed?.detail).toMatch(/(init container volume-setup|container claude): (ImagePullBackOff|ErrImagePull) \(never started\)/);
      expect(failed?.hint).toContain("image name and tag");
      expect(await probeLeftovers()).toEqual([]);
    } finally {
      await model.close();
    }
  });

  it("doctor: passes under the least-privilege ServiceAccount; sweep: finds nothing left behind", async () => {
    const model = await startModelServer({ script: [] });
    try {
      const doctor = capture();
      expect(await main(["doctor", "--config", configFile(agent.config(model))], doctor.io), doctor.text()).toBe(0);
      expect(doctor.text()).toContain("every permission the adapter uses is granted");
      // The run probe: a dry-run create, then a pod of this config reporting what it sees.
      expect(doctor.text()).toContain("the API server would accept the run's Job (dry run)");
      expect(doctor.text()).toMatch(/claude in the image: \S+/);
      expect(doctor.text()).toMatch(/node in the image: v\d+/);
      expect(doctor.text()).toContain("credential variables the pod gets (names only): ANTHROPIC_API_KEY");
      expect(doctor.errors()).toMatch(/doctor: starting probe Job \S+/);
      expect(await probeLeftovers()).toEqual([]);
      const json = capture();
      expect(await main(["doctor", "--json", "--no-probe", "--config", configFile(agent.config(model))], json.io)).toBe(0);
      expect(JSON.parse(json.text()).checks.map((check: { code: string }) => check.code)).toContain("k8s_rbac_ok");
      const sweep = capture();
      expect(await main(["sweep", "--kubeconfig", agent.kubeconfig, "--namespace", agent.namespace], sweep.io), sweep.errors()).toBe(0);
      expect(sweep.text()).toContain(`nothing to sweep in ${agent.namespace}`);
      const sweepJson = capture();
      expect(await main(["sweep", "--kubeconfig", agent.kubeconfig, "--namespace", agent.namespace, "--json"], sweepJson.io), sweepJson.errors()).toBe(0);
      expect(JSON.parse(sweepJson.text())).toEqual({ namespace: agent.namespace, deleted: false, items: [], leftAlone: [], failures: [] });
    } finally {
      await model.close();
    }
  });

  it("sweep and doctor report a running Job with our labels but no owner mark, and never delete it", async () => {
    const admin = adminClients();
    const name = "unowned-by-hand";
    const labels = { "app.kubernetes.io/managed-by": "paperclip", "paperclip.io/adapter-type": "claude_k8s", "paperclip.io/agent-id": "someone" };
    await admin.batch.createNamespacedJob({
      namespace: agent.namespace,
      body: { metadata: { name, labels }, spec: { backoffLimit: 0, template: { metadata: { labels }, spec: { restartPolicy: "Never", containers: [{ name: "c", image: "lab.local/missing:1" }] } } } },
    });
    const model = await startModelServer({ script: [] });
    try {
      const sweep = capture();
      expect(await main(["sweep", "--delete", "--kubeconfig", agent.kubeconfig, "--namespace", agent.namespace], sweep.io), sweep.errors()).toBe(0);
      expect(sweep.text()).toContain(`left alone job ${agent.namespace}/${name}`);
      const doctor = capture();
      expect(await main(["doctor", "--json", "--config", configFile(agent.config(model))], doctor.io), doctor.text()).toBe(0);
      const checks = JSON.parse(doctor.text()).checks as { code: string; message: string }[];
      expect(checks.filter((check) => check.code === "k8s_unowned_job").map((check) => check.message)).toEqual([expect.stringContaining(`${agent.namespace}/${name}`)]);
      const job = await admin.batch.readNamespacedJob({ name, namespace: agent.namespace });
      expect(job.metadata?.deletionTimestamp).toBeUndefined();
    } finally {
      await model.close();
      await admin.batch.deleteNamespacedJob({ name, namespace: agent.namespace, propagationPolicy: "Background" });
    }
  });
});
