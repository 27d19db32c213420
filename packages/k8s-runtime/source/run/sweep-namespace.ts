import type { OwnerLastSeen } from "../decisions/decide-admission.ts";
import { defaultSweepPolicy, planSweep, type SecretLike, type SweepPlan, type SweepPolicy } from "../decisions/plan-sweep.ts";
import { OWNER_LEASE_COMPONENT, ownerLeaseName } from "../exclusivity/owner-heartbeat.ts";
import type { Lease } from "../exclusivity/lease-time.ts";
import type { JobLike, PodLike } from "../kube-objects.ts";
import { KubeApiError } from "../kube/kube-api-error.ts";
import type { KubeClient } from "../kube/kube-client.ts";
import { DEFAULT_INSTANCE_ID, LabelKey, managedSelector, toLabelValue } from "@claude-k8s/manifest";
import { MANAGED_SELECTOR } from "./namespace-watches.ts";
import { apiRequestKind } from "../metrics/api-request-kind.ts";
import { runtimeMetrics } from "../metrics/runtime-metrics.ts";

export interface SweepReport {
  namespace: string;
  plan: SweepPlan;
  deleted: boolean;
  /** Objects whose delete failed (already gone is not a failure), with why. */
  failures: string[];
}

/**
 * Finds what this adapter left behind in a namespace and, with `delete`, removes it: pods
 * whose Job is gone, then Jobs (Background: their pods follow), then Secrets. Running Jobs
 * without our owner mark are only reported (`plan.unowned`). Reads the
 * owner Leases itself, so it works from a CLI as well as from a running adapter.
 */
export async function sweepNamespace(
  client: KubeClient,
  namespace: string,
  options: {
    delete: boolean;
    policy?: SweepPolicy;
    now?: number;
    signal?: AbortSignal;
    /**
     * Owner liveness as a running adapter observes it (renewals timed by its own clock,
     * `ownerLastSeenFrom`). Without it (a one-shot CLI) the Leases' renewTime is compared
     * with the local clock: skew beyond the 30-min abandon window would mislead it.
     */
    ownerLastSeen?: OwnerLastSeen;
    /** Only this Paperclip instance's objects are looked at (label `paperclip.io/instance`); default "default". */
    instanceId?: string;
  },
): Promise<SweepReport> {
  const list = async <T>(path: string, labelSelector: string) => (await client.request<{ items?: T[] }>({ method: "GET", path, query: { labelSelector }, signal: options.signal })).items ?? [];
  const selector = managedSelector(options.instanceId);
  // Jobs of every instance are listed: those without any owner mark (the public adapter's, say) are reported whatever their instance label.
  const [allJobs, pods, secrets, leases] = await Promise.all([
    list<JobLike>(`/apis/batch/v1/namespaces/${namespace}/jobs`, MANAGED_SELECTOR),
    list<PodLike>(`/api/v1/namespaces/${namespace}/pods`, selector),
    list<SecretLike>(`/api/v1/namespaces/${namespace}/secrets`, selector),
    list<Lease>(`/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`, `app.kubernetes.io/component=${OWNER_LEASE_COMPONENT}`),
  ]);
  const renewed = new Map(leases.map((lease) => [lease.metadata?.name ?? "", lease]));
  const fromRenewTime = (ownerId: string) => {
    const spec = renewed.get(ownerLeaseName(ownerId))?.spec;
    const at = Date.parse(spec?.renewTime ?? spec?.acquireTime ?? "");
    return spec?.holderIdentity === ownerId && !Number.isNaN(at) ? at : undefined;
  };
  const instance = toLabelValue(options.instanceId ?? DEFAULT_INSTANCE_ID);
  const jobs = allJobs.filter((job) => job.metadata?.labels?.[LabelKey.instance] === instance);
  const facts = { ownerLastSeen: options.ownerLastSeen ?? fromRenewTime, now: options.now ?? Date.now(), policy: options.policy ?? defaultSweepPolicy };
  const plan = { ...planSweep({ jobs, pods, secrets, ...facts }), unowned: planSweep({ jobs: allJobs, pods: [], secrets: [], ...facts }).unowned };
  const report: SweepReport = { namespace, plan, deleted: options.delete, failures: [] };
  if (!options.delete) return report;

  // Preconditions on UID and resourceVersion: an object changed since the list (claimed by a live process, say) is left for the next sweep.
  const remove = async (path: string, object: { metadata?: { name?: string; uid?: string; resourceVersion?: string } }, body: Record<string, unknown> = {}) => {
    const { name, uid, resourceVersion } = object.metadata ?? {};
    if (!name) return;
    const preconditions = { ...(uid ? { uid } : {}), ...(resourceVersion ? { resourceVersion } : {}) };
    try {
      await client.request({ method: "DELETE", path: `${path}/${name}`, body: { apiVersion: "v1", kind: "DeleteOptions", ...body, preconditions }, signal: options.signal });
      runtimeMetrics.sweepDeleted(apiRequestKind("DELETE", path).resource, 1);
    } catch (error) {
      if (error instanceof KubeApiError && (error.isNotFound || error.isConflict)) return;
      report.failures.push(`${path}/${name}: ${(error as Error).message}`);
    }
  };
  for (const item of plan.pods) await remove(`/api/v1/namespaces/${namespace}/pods`, item.object);
  for (const item of plan.jobs) await remove(`/apis/batch/v1/namespaces/${namespace}/jobs`, item.object, { propagationPolicy: "Background" });
  for (const item of plan.secrets) await remove(`/api/v1/namespaces/${namespace}/secrets`, item.object);
  return report;
}
