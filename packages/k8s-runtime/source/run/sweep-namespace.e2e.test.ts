import { randomUUID } from "node:crypto";
import { buildRunManifests, requireAdapterConfig } from "@claude-k8s/manifest";
import { adminClients, eventually } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { describe, expect, it } from "vitest";
import { microTime } from "../exclusivity/lease-time.ts";
import { OwnerHeartbeat, ownerLeaseName } from "../exclusivity/owner-heartbeat.ts";
import { useLabNamespace } from "../test-utils/lab-namespace.ts";
import { launchRun } from "./launch-run.ts";
import { sweepNamespace } from "./sweep-namespace.ts";

const ns = useLabNamespace("rt-sweep");
const admin = adminClients();

function manifestsFor(agentId: string) {
  const { config } = requireAdapterConfig({ namespace: ns.name, image: "lab.local/missing:1" });
  return buildRunManifests({ config, run: { runId: randomUUID(), agent: { id: agentId, companyId: "c" }, runtime: null, context: { issueId: "i" }, authToken: "t" } });
}

describe("sweepNamespace", () => {
  it("removes an abandoned run's Job and Secret but never a live one's, even long after both started", async () => {
    const client = ns.client;
    const live = new OwnerHeartbeat(client, { ownerId: "sweep-live-owner" });
    await live.ensure(ns.name);
    const liveRun = await launchRun({ client, manifests: manifestsFor("agent-live"), ownerId: live.ownerId });
    const abandoned = await launchRun({ client, manifests: manifestsFor("agent-gone"), ownerId: "owner-that-died" });

    // Pretend an hour has passed: the live owner keeps renewing (its Lease is fresh at that time), the dead one never does.
    await live.ensure(ns.name);
    const later = Date.now() + 60 * 60_000;
    await client.request({ method: "PATCH", path: `/apis/coordination.k8s.io/v1/namespaces/${ns.name}/leases/${ownerLeaseName(live.ownerId)}`, body: { spec: { renewTime: microTime(later - 5_000) } }, contentType: "application/merge-patch+json" });

    const dryRun = await sweepNamespace(client, ns.name, { delete: false, now: later });
    expect(dryRun.plan.jobs.map((item) => item.object.metadata?.name)).toEqual([abandoned.job.metadata.name]);
    expect(await admin.batch.readNamespacedJob({ name: abandoned.job.metadata.name, namespace: ns.name })).toBeDefined();

    const report = await sweepNamespace(client, ns.name, { delete: true, now: later });
    expect(report.failures).toEqual([]);
    const remaining = await admin.batch.listNamespacedJob({ namespace: ns.name });
    const names = remaining.items.filter((item) => !item.metadata?.deletionTimestamp).map((item) => item.metadata?.name);
    expect(names).toEqual([liveRun.job.metadata.name]);
    // The abandoned run's Secret follows its Job (ownerReference); the live run's stays.
    await eventually("the abandoned run's Secret to go", async () => {
      const secrets = await admin.core.listNamespacedSecret({ namespace: ns.name, labelSelector: "paperclip.io/adapter-type=claude_k8s" });
      const agents = secrets.items.map((item) => item.metadata?.labels?.["paperclip.io/agent-id"]);
      return agents.includes("agent-gone") ? undefined : agents;
    }).then((agents) => expect(agents).toEqual(["agent-live"]));
    await live.stop();
  });
});
