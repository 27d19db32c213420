import { createHash } from "node:crypto";
import type { KubeClient } from "../kube/kube-client.ts";
import { KubeApiError } from "../kube/kube-api-error.ts";
import { abortableSleep } from "../kube/abortable-sleep.ts";
import { retryDelayMs } from "../kube/retry-delay.ts";
import { type Lease, microTime } from "./lease-time.ts";
import { instanceLabel } from "../run/instance.ts";

export class AgentLockBusyError extends Error {
  readonly code = "k8s_concurrent_run_blocked";
  readonly holder: string;
  readonly leaseName: string;

  constructor(leaseName: string, holder: string, waitedMs: number) {
    super(`another launch for this agent holds Lease ${leaseName} (holder ${holder}); still held after ${Math.round(waitedMs / 1000)} s`);
    this.name = "AgentLockBusyError";
    this.holder = holder;
    this.leaseName = leaseName;
  }
}

export interface AgentLockOptions {
  client: KubeClient;
  namespace: string;
  agentId: string;
  /** Who holds it: the run id and the adapter process, for the message others see. */
  holder: string;
  /** A crashed holder's lock frees itself after this long. */
  leaseDurationSeconds?: number;
  /** How long to wait for a busy lock before giving up. */
  waitMs?: number;
  signal?: AbortSignal;
  now?: () => number;
  log?: (line: string) => void;
  /** The Paperclip instance, labelled on the Lease. */
  instanceId?: string;
}

export interface AgentLock {
  readonly leaseName: string;
  release(): Promise<void>;
}

export function agentLockName(agentId: string): string {
  return `claude-k8s-agent-${createHash("sha256").update(agentId).digest("hex").slice(0, 20)}`;
}

/**
 * Cluster-wide mutual exclusion for launching one agent's run: whoever creates the Lease
 * named after the agent holds it; everybody else gets 409 Conflict. It is held only while
 * deciding admission and creating the Job (seconds), so two server replicas can never both
 * decide "no Job is running" and both launch. The holder renews it while it holds it; one
 * that dies frees it once this process has seen it go `leaseDurationSeconds` without a
 * write (timed by our clock, never the holder's); taking it over is an optimistic update
 * that only one contender can win.
 */
export async function acquireAgentLock(options: AgentLockOptions): Promise<AgentLock> {
  const now = options.now ?? Date.now;
  const leaseName = agentLockName(options.agentId);
  const collection = `/apis/coordination.k8s.io/v1/namespaces/${options.namespace}/leases`;
  const duration = options.leaseDurationSeconds ?? 60;
  const waitMs = options.waitMs ?? 30_000;
  const started = now();
  const log = options.log;
  const spec = () => ({ holderIdentity: options.holder, leaseDurationSeconds: duration, acquireTime: microTime(now()), renewTime: microTime(now()) });

  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      const created = await options.client.request<Lease>({
        method: "POST",
        path: collection,
        body: { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: leaseName, labels: { "app.kubernetes.io/managed-by": "paperclip", "app.kubernetes.io/component": "agent-launch-lock", ...instanceLabel(options.instanceId) } }, spec: spec() },
      });
      return await heldUnlessAborted(held(options.client, collection, leaseName, created, log), options.signal);
    } catch (error) {
      if (!(error instanceof KubeApiError && error.isConflict)) throw error;
    }

    const existing = await options.client
      .request<Lease>({ method: "GET", path: `${collection}/${leaseName}`, signal: options.signal })
      .catch((error: unknown) => {
        if (error instanceof KubeApiError && error.isNotFound) return undefined; // released meanwhile: try again at once
        throw error;
      });
    if (existing === undefined) continue;
    if (existing.spec?.holderIdentity === options.holder) return held(options.client, collection, leaseName, existing, log);
    if (unrenewedFor(`${options.namespace}/${leaseName}`, existing, now()) > (existing.spec?.leaseDurationSeconds ?? duration) * 1000) {
      try {
        const taken = await options.client.request<Lease>({ method: "PUT", path: `${collection}/${leaseName}`, body: { ...existing, spec: spec() } });
        return await heldUnlessAborted(held(options.client, collection, leaseName, taken, log), options.signal);
      } catch (error) {
        if (!(error instanceof KubeApiError && error.isConflict)) throw error;
        continue; // someone else took it over first
      }
    }
    const waited = now() - started;
    if (waited >= waitMs) throw new AgentLockBusyError(leaseName, existing.spec?.holderIdentity ?? "unknown", waited);
    await abortableSleep(Math.min(retryDelayMs(attempt, undefined), 2000, Math.max(0, waitMs - waited)), options.signal);
  }
}

/**
 * Writes to the Lease are never cut off mid-flight (a cut-off create may still have taken
 * the Lease, which would then block the agent until it expires): an abort that came
 * meanwhile gives the Lease back at once.
 */
async function heldUnlessAborted(lock: AgentLock, signal: AbortSignal | undefined): Promise<AgentLock> {
  if (!signal?.aborted) return lock;
  await lock.release().catch(() => undefined);
  throw signal.reason;
}

/** When this process first saw each lock Lease at its current version (namespace/name -> version, time). */
const observedLocks = new Map<string, { version: string; since: number }>();

/**
 * How long the Lease has gone without a write, as this process has watched it: another
 * holder's clock is never compared with ours (skew would break the lock, or keep a dead
 * holder's lock forever). Process-wide, so a later attempt goes on from what an earlier one saw.
 */
function unrenewedFor(key: string, lease: Lease, now: number): number {
  const version = lease.metadata?.resourceVersion ?? `${lease.spec?.holderIdentity}|${lease.spec?.renewTime}`;
  const seen = observedLocks.get(key);
  if (seen?.version === version) return now - seen.since;
  observedLocks.set(key, { version, since: now });
  return 0;
}

/**
 * A held lock renews its Lease at a third of its duration for as long as it is held (a
 * slow launch must not look like a dead holder), each renewal an optimistic update of the
 * version it holds; release waits for a renewal in flight, then deletes that version.
 */
function held(client: KubeClient, collection: string, leaseName: string, lease: Lease, log?: (line: string) => void): AgentLock {
  let released = false;
  let current = lease;
  let renewing: Promise<void> = Promise.resolve();
  const durationMs = (lease.spec?.leaseDurationSeconds ?? 60) * 1000;
  const timer = setInterval(() => {
    renewing = renewing.then(async () => {
      if (released) return;
      try {
        current = await client.request<Lease>({ method: "PUT", path: `${collection}/${leaseName}`, body: { ...current, spec: { ...current.spec, renewTime: microTime(Date.now()) } }, attempts: 1 });
      } catch (error) {
        log?.(`could not renew launch lock ${leaseName}: ${(error as Error).message}`);
      }
    });
  }, durationMs / 3);
  timer.unref();
  return {
    leaseName,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await renewing;
      // Precondition on our version: never delete a Lease someone took over after ours expired.
      await client
        .request({
          method: "DELETE",
          path: `${collection}/${leaseName}`,
          body: { apiVersion: "v1", kind: "DeleteOptions", preconditions: { resourceVersion: current.metadata?.resourceVersion } },
        })
        .catch((error: unknown) => {
          if (error instanceof KubeApiError && (error.isNotFound || error.isConflict)) return;
          throw error;
        });
    },
  };
}
