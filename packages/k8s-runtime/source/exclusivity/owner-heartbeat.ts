import { createHash, randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { KubeApiError } from "../kube/kube-api-error.ts";
import type { KubeClient } from "../kube/kube-client.ts";
import type { SharedWatch } from "../kube/shared-watch.ts";
import type { WatchHub } from "../kube/watch-hub.ts";
import { type Lease, microTime } from "./lease-time.ts";
import { RenewalObserver } from "./observed-renewals.ts";
import { instanceLabel } from "../run/instance.ts";

export const OWNER_LEASE_COMPONENT = "adapter-owner";
const OWNER_LEASE_SELECTOR = `app.kubernetes.io/component=${OWNER_LEASE_COMPONENT}`;

/** A stable identity for this adapter process: host (the pod name in a cluster), pid, and a random suffix. */
export function newOwnerId(): string {
  const host = hostname().toLowerCase().replace(/[^a-z0-9-]+/g, "-").slice(0, 30).replace(/^-+|-+$/g, "") || "host";
  return `${host}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

export function ownerLeaseName(ownerId: string): string {
  return `claude-k8s-owner-${createHash("sha256").update(ownerId).digest("hex").slice(0, 20)}`;
}

/**
 * One Lease per adapter process per namespace it launches into, renewed on a timer. Its
 * renewals are this process's only periodic API requests, and they do not grow with the
 * number of runs. Other processes (and this one after a restart) read these Leases through
 * a shared watch to tell a live owner of a Job from a dead one.
 */
export class OwnerHeartbeat {
  readonly ownerId: string;
  readonly #client: KubeClient;
  readonly #durationSeconds: number;
  readonly #namespaces = new Map<string, Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #log: ((line: string) => void) | undefined;
  readonly #instanceLabel: Record<string, string>;

  constructor(client: KubeClient, options: { ownerId?: string; leaseDurationSeconds?: number; log?: (line: string) => void; instanceId?: string } = {}) {
    this.#client = client;
    this.#instanceLabel = instanceLabel(options.instanceId);
    this.ownerId = options.ownerId ?? newOwnerId();
    this.#durationSeconds = options.leaseDurationSeconds ?? 120;
    this.#log = options.log;
  }

  /** Makes sure this process is announced in `namespace` (the first call there writes the Lease). */
  ensure(namespace: string): Promise<void> {
    let pending = this.#namespaces.get(namespace);
    if (!pending) {
      pending = this.#renew(namespace);
      pending.catch(() => this.#namespaces.delete(namespace));
      this.#namespaces.set(namespace, pending);
    }
    if (!this.#timer) {
      // Renew at a third of the duration: two missed renewals still leave the Lease fresh.
      this.#timer = setInterval(() => this.#renewAll(), (this.#durationSeconds * 1000) / 3);
      this.#timer.unref();
    }
    return pending;
  }

  /** Graceful shutdown: the Leases go, so other replicas see this owner gone at once. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await Promise.all(
      [...this.#namespaces.keys()].map((namespace) =>
        this.#client.request({ method: "DELETE", path: `${collection(namespace)}/${ownerLeaseName(this.ownerId)}`, attempts: 1 }).catch(() => undefined),
      ),
    );
    this.#namespaces.clear();
  }

  #renewAll(): void {
    for (const namespace of this.#namespaces.keys()) {
      this.#renew(namespace).catch((error: unknown) => this.#log?.(`owner heartbeat in ${namespace}: ${(error as Error).message}`));
    }
  }

  async #renew(namespace: string): Promise<void> {
    const name = ownerLeaseName(this.ownerId);
    const spec = { holderIdentity: this.ownerId, leaseDurationSeconds: this.#durationSeconds, renewTime: microTime(Date.now()) };
    try {
      await this.#client.request({ method: "PATCH", path: `${collection(namespace)}/${name}`, body: { spec }, contentType: "application/merge-patch+json" });
    } catch (error) {
      if (!(error instanceof KubeApiError && error.isNotFound)) throw error;
      await this.#client
        .request({
          method: "POST",
          path: collection(namespace),
          body: { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name, labels: { "app.kubernetes.io/managed-by": "paperclip", "app.kubernetes.io/component": OWNER_LEASE_COMPONENT, ...this.#instanceLabel } }, spec: { ...spec, acquireTime: spec.renewTime } },
        })
        .catch((createError: unknown) => {
          if (!(createError instanceof KubeApiError && createError.isConflict)) throw createError;
        });
    }
  }
}

const observers = new WeakMap<SharedWatch<Lease>, RenewalObserver>();

/** One observer per shared Lease watch, fed by every change it sees, for as long as the watch lives. */
function observerOf(watch: SharedWatch<Lease>): RenewalObserver {
  let observer = observers.get(watch);
  if (!observer) {
    const created = new RenewalObserver();
    watch.subscribe(({ type, object }) => {
      if (type === "DELETED") created.observeDeleted(object.metadata?.name ?? "");
      else created.observe(object);
    });
    observers.set(watch, created);
    observer = created;
  }
  return observer;
}

export interface OwnerLiveness {
  /** When the owner was last known alive, on this process's clock (see RenewalObserver); undefined once it is gone. */
  lastSeen: (ownerId: string) => number | undefined;
  /** Reads these owners' Leases fresh: under the launch lock, a lagging watch must not make a live owner look dead. */
  refresh(client: KubeClient, ownerIds: Iterable<string>, signal?: AbortSignal): Promise<void>;
  synced: Promise<void>;
  watch: SharedWatch<Lease>;
  release(): void;
}

/**
 * How alive each adapter process is, from a shared watch on the owner Leases of a
 * namespace: renewals seen by this process, timed by its own clock (RenewalObserver). An
 * owner whose Lease was never seen is not dead; one whose Lease was seen deleted is.
 */
export function ownerLastSeenFrom(hub: WatchHub, namespace: string): OwnerLiveness {
  const lease = hub.acquire<Lease>({ path: collection(namespace), labelSelector: OWNER_LEASE_SELECTOR });
  const observer = observerOf(lease.watch);
  return {
    synced: lease.watch.synced(),
    watch: lease.watch,
    lastSeen: (ownerId) => observer.lastSeen(ownerLeaseName(ownerId), ownerId),
    async refresh(client, ownerIds, signal) {
      for (const ownerId of new Set(ownerIds)) {
        const fresh = await client.request<Lease>({ method: "GET", path: `${collection(namespace)}/${ownerLeaseName(ownerId)}`, ...(signal ? { signal } : {}) }).catch((error: unknown) => {
          // No Lease now is not proof of death (it is re-created by the next renewal): only a seen delete is.
          if (error instanceof KubeApiError && error.isNotFound) return undefined;
          throw error;
        });
        if (fresh) observer.observe(fresh);
      }
    },
    release: () => lease.release(),
  };
}

function collection(namespace: string): string {
  return `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`;
}
