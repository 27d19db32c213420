import { randomUUID } from "node:crypto";
import { buildRunManifests, requireAdapterConfig } from "@claude-k8s/manifest";
import { adminClients, eventually } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OWNER_ANNOTATION } from "../decisions/decide-admission.ts";
import type { KubeClient } from "../kube/kube-client.ts";
import { WatchHub } from "../kube/watch-hub.ts";
import { useLabNamespace } from "../test-utils/lab-namespace.ts";
import { cleanupRun } from "./cleanup-run.ts";
import { launchRun } from "./launch-run.ts";
import { acquireNamespaceWatches, type NamespaceWatches } from "./namespace-watches.ts";

const ns = useLabNamespace("rt-launch");
let client: KubeClient;
let hub: WatchHub;
let watches: NamespaceWatches;
const admin = adminClients();

beforeAll(async () => {
  client = ns.client;
  hub = new WatchHub(client, { lingerMs: 0 });
  watches = acquireNamespaceWatches(hub, ns.name);
  await Promise.all([watches.jobs.synced(), watches.pods.synced()]);
});
afterAll(async () => {
  watches?.release();
  await hub?.close();
});

function manifestsFor(runId: string) {
  const { config } = requireAdapterConfig({ namespace: ns.name, image: "busybox:lab" });
  return buildRunManifests({
    config,
    run: { runId, agent: { id: "agent-launch", companyId: "company-1", name: "Launcher" }, runtime: null, context: { issueId: "issue-1" }, authToken: "jwt-for-test" },
  });
}

describe("launchRun and cleanupRun", () => {
  it("creates the Secret, then the Job, and gives the Secret an ownerReference to the Job", async () => {
    const manifests = manifestsFor(randomUUID());
    const result = await launchRun({ client, manifests, ownerId: "owner-1" });
    expect(result.kind).toBe("created");
    const job = result.job;
    expect(job.metadata.annotations?.[OWNER_ANNOTATION]).toBe("owner-1");
    for (const secret of manifests.secrets) {
      const stored = await admin.core.readNamespacedSecret({ name: secret.metadata.name, namespace: ns.name });
      expect(stored.metadata?.ownerReferences).toEqual([expect.objectContaining({ kind: "Job", name: job.metadata.name, uid: job.metadata.uid })]);
    }
    const outcome = await cleanupRun({ client, namespace: ns.name, jobName: job.metadata.name, jobUid: job.metadata.uid, secretNames: manifests.secrets.map((s) => s.metadata.name), jobs: watches.jobs });
    expect(outcome).toBe("gone");
    const leftovers = await admin.core.listNamespacedSecret({ namespace: ns.name, labelSelector: "paperclip.io/adapter-type=claude_k8s" });
    expect(leftovers.items).toEqual([]);
    // A Job deleted right after its create can race the Job controller's pod create: that pod
    // is born owned by a Job already gone, and the garbage collector takes it down (with its
    // grace period). Wait for that instead of reading once.
    await eventually("the Job's pods gone", async () => {
      const pods = await admin.core.listNamespacedPod({ namespace: ns.name, labelSelector: `job-name=${job.metadata.name}` });
      return pods.items.length === 0 ? true : undefined;
    }, 90_000);
  });

  it("hands back the existing Job when the same run is launched again, updating its Secret in place", async () => {
    const runId = randomUUID();
    const first = await launchRun({ client, manifests: manifestsFor(runId), ownerId: "owner-1" });
    const second = await launchRun({ client, manifests: manifestsFor(runId), ownerId: "owner-2" });
    expect(second).toEqual({ kind: "exists", job: expect.objectContaining({ metadata: expect.objectContaining({ uid: first.job.metadata.uid }) }) });
    const jobs = await admin.batch.listNamespacedJob({ namespace: ns.name, labelSelector: `paperclip.io/run-id=${runId}` });
    expect(jobs.items).toHaveLength(1);
    await cleanupRun({ client, namespace: ns.name, jobName: first.job.metadata.name, jobUid: first.job.metadata.uid, secretNames: manifestsFor(runId).secrets.map((s) => s.metadata.name), jobs: watches.jobs });
  });

  it("keeps a retained Job but still deletes the Secrets", async () => {
    const manifests = manifestsFor(randomUUID());
    const { job } = await launchRun({ client, manifests, ownerId: "owner-1" });
    const outcome = await cleanupRun({ client, namespace: ns.name, jobName: job.metadata.name, jobUid: job.metadata.uid, secretNames: manifests.secrets.map((s) => s.metadata.name), jobs: watches.jobs, retainJob: true });
    expect(outcome).toBe("retained");
    await expect(admin.batch.readNamespacedJob({ name: job.metadata.name, namespace: ns.name })).resolves.toBeDefined();
    const secrets = await admin.core.listNamespacedSecret({ namespace: ns.name, labelSelector: `paperclip.io/run-id=${job.metadata.labels?.["paperclip.io/run-id"]}` });
    expect(secrets.items).toEqual([]);
  });

  it("fails a Job the API server refuses with k8s_job_create_failed and leaves no Secret behind", async () => {
    const manifests = manifestsFor(randomUUID());
    // An invalid spec the API server rejects (a negative backoffLimit).
    const broken = { ...manifests, job: { ...manifests.job, spec: { ...manifests.job.spec, backoffLimit: -1 } } } as unknown as typeof manifests;
    const error = await launchRun({ client, manifests: broken, ownerId: "owner-1" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "k8s_job_create_failed" });
    expect((error as Error).message).toContain(manifests.names.job);
    const secrets = await admin.core.listNamespacedSecret({ namespace: ns.name, labelSelector: `paperclip.io/run-id=${manifests.job.metadata.labels["paperclip.io/run-id"]}` });
    expect(secrets.items).toEqual([]);
  });
});
