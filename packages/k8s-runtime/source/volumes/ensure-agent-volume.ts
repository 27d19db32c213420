import { foreignAgentVolume, type PersistentVolumeClaimManifest } from "@claude-k8s/manifest";
import { type ClaimLike, classifyAgentVolume, type StorageClassFacts, storageClassFacts } from "../decisions/classify-agent-volume.ts";
import { KubeApiError } from "../kube/kube-api-error.ts";
import type { KubeClient } from "../kube/kube-client.ts";
import { SharedWatch } from "../kube/shared-watch.ts";
import { RunError } from "../run/run-errors.ts";
import { waitForWatch } from "../run/wait-for.ts";

export interface EnsureAgentVolumeOptions {
  client: KubeClient;
  /** The agent's claim as the manifest builds it (`RunManifests.agentVolume`). */
  claim: PersistentVolumeClaimManifest;
  agentId: string;
  /** How long a claim may stay Pending before the run fails (the pod's schedule budget). */
  budgetMs: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface AgentVolumeReport {
  created: boolean;
  /** Why the pod may mount it now: `bound`, or that it binds when the pod is scheduled. */
  ready: string;
}

type Claim = PersistentVolumeClaimManifest & ClaimLike & { metadata: { resourceVersion?: string; uid?: string } };

/**
 * Makes sure the agent's own volume exists and can be mounted, before any Secret or Job of
 * the run exists: so a claim that never binds (no such StorageClass, no provisioner) fails the
 * run with `k8s_volume_pending` and leaves nothing behind. A claim of that name that is not
 * this agent's is never mounted (`k8s_mount_forbidden`). The claim is never deleted here.
 */
export async function ensureAgentVolume(options: EnsureAgentVolumeOptions): Promise<AgentVolumeReport> {
  const { client, claim } = options;
  const { name, namespace } = claim.metadata;
  const path = `/api/v1/namespaces/${namespace}/persistentvolumeclaims`;
  let created = false;
  let current = await readClaim(client, `${path}/${name}`, options.signal);
  if (current === undefined) {
    try {
      current = await client.request<Claim>({ method: "POST", path, body: claim, ...(options.signal ? { signal: options.signal } : {}) });
      created = true;
      options.log?.(`created the agent's volume claim ${namespace}/${name} (${claim.spec.resources.requests.storage}, StorageClass ${claim.spec.storageClassName ?? "the cluster's default"})`);
    } catch (error) {
      if (!(error instanceof KubeApiError && error.isConflict)) throw error;
      current = await readClaim(client, `${path}/${name}`, options.signal);
    }
  }
  if (current === undefined) throw new RunError("k8s_volume_pending", `the agent's volume claim ${namespace}/${name} vanished while it was being created; run again`);
  const foreign = foreignAgentVolume(current, options.agentId);
  if (foreign !== undefined) {
    throw new RunError(
      "k8s_mount_forbidden",
      `claim ${namespace}/${name} has the name of this agent's volume but ${foreign}; it is not mounted. Delete or rename it (it is not claude-k8s's), then run again`,
    );
  }
  const storageClass = await storageClassOf(client, current.spec?.storageClassName, options.signal);
  const started = Date.now();
  const judge = (latest: ClaimLike) => classifyAgentVolume({ claim: latest, storageClass, waitedMs: Date.now() - started, budgetMs: options.budgetMs });
  let verdict = judge(current);
  if (verdict.kind === "wait") {
    options.log?.(`waiting for the agent's volume claim ${namespace}/${name} to bind`);
    verdict = await waitForBinding(client, current, judge, options);
  }
  if (verdict.kind === "failed") throw new RunError(verdict.code, verdict.message);
  if (verdict.kind === "wait") throw new Error("unreachable: waitForBinding settles");
  return { created, ready: verdict.reason };
}

async function readClaim(client: KubeClient, path: string, signal: AbortSignal | undefined): Promise<Claim | undefined> {
  try {
    return await client.request<Claim>({ method: "GET", path, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (error instanceof KubeApiError && error.isNotFound) return undefined;
    throw error;
  }
}

/** StorageClasses are cluster-scoped: without the right to read them, the budget alone decides. */
async function storageClassOf(client: KubeClient, claimClass: string | undefined, signal: AbortSignal | undefined): Promise<StorageClassFacts> {
  try {
    const list = await client.request<{ items: Parameters<typeof storageClassFacts>[1][number][] }>({
      method: "GET",
      path: "/apis/storage.k8s.io/v1/storageclasses",
      ...(signal ? { signal } : {}),
    });
    return storageClassFacts(claimClass, list.items ?? []);
  } catch (error) {
    if (error instanceof KubeApiError && (error.isForbidden || error.isNotFound)) return { kind: "unknown" };
    throw error;
  }
}

/** One watch on this one claim until it binds or the budget is spent; no polling. */
async function waitForBinding(
  client: KubeClient,
  claim: Claim,
  judge: (latest: ClaimLike) => ReturnType<typeof classifyAgentVolume>,
  options: EnsureAgentVolumeOptions,
): Promise<ReturnType<typeof classifyAgentVolume>> {
  const { name, namespace } = claim.metadata;
  const watch = new SharedWatch<Claim>({
    client,
    path: `/api/v1/namespaces/${namespace}/persistentvolumeclaims`,
    fieldSelector: `metadata.name=${name}`,
    ...(options.log ? { log: options.log } : {}),
  }).start();
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => stop.abort("budget"), Math.max(0, options.budgetMs));
  try {
    return await waitForWatch(
      watch,
      (objects) => {
        const latest = objects().find((object) => object.metadata.name === name);
        const verdict = judge(latest ?? claim);
        return verdict.kind === "wait" ? undefined : verdict;
      },
      stop.signal,
    );
  } catch (error) {
    if (options.signal?.aborted) throw error;
    // The budget is spent: judge what the watch saw last.
    return judge(watch.get(name, namespace) ?? claim);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    await watch.stop();
  }
}
