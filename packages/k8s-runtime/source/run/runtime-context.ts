import type { KubeConfig } from "@kubernetes/client-node";
import { KeyedMutex } from "@claude-k8s/keyed-mutex";
import { DEFAULT_INSTANCE_ID } from "@claude-k8s/manifest";
import { createKubeClient, type KubeClient } from "../kube/kube-client.ts";
import { WatchHub } from "../kube/watch-hub.ts";
import { OwnerHeartbeat } from "../exclusivity/owner-heartbeat.ts";
import { type PeriodicSweep, startPeriodicSweep } from "./periodic-sweep.ts";
import type { RuntimeLog } from "../log-fields.ts";

/**
 * What one adapter process shares between all its runs against one cluster: the client
 * (one connection pool), the watch hub (one watch per collection), the owner heartbeat and
 * the in-process per-agent mutex (the fast path in front of the cluster-wide Lease).
 */
export interface RuntimeContext {
  client: KubeClient;
  hub: WatchHub;
  heartbeat: OwnerHeartbeat;
  mutex: KeyedMutex<string>;
  /** The server's log (not a run's transcript); run-related lines carry the run, agent and Job. */
  log: RuntimeLog;
  /** The Paperclip instance whose runs this context sees (label `paperclip.io/instance`); default "default". */
  instanceId: string;
  /** Sweeps the namespace every `everyMs` (10 min) while the context lives (`startPeriodicSweep`); once per namespace. */
  sweepPeriodically(namespace: string, everyMs?: number): void;
  close(): Promise<void>;
}

export async function createRuntimeContext(
  kubeConfig: KubeConfig,
  options: { log?: RuntimeLog; ownerId?: string; instanceId?: string } = {},
): Promise<RuntimeContext> {
  const log = options.log ?? (() => {});
  const client = await createKubeClient(kubeConfig, { userAgent: "claude-k8s" });
  const hub = new WatchHub(client, { log });
  const instanceId = options.instanceId ?? DEFAULT_INSTANCE_ID;
  const heartbeat = new OwnerHeartbeat(client, { log, instanceId, ...(options.ownerId ? { ownerId: options.ownerId } : {}) });
  const sweeps = new Map<string, PeriodicSweep>();
  return {
    client,
    hub,
    heartbeat,
    mutex: new KeyedMutex<string>(),
    log,
    instanceId,
    sweepPeriodically(namespace, everyMs) {
      if (sweeps.has(namespace)) return;
      sweeps.set(namespace, startPeriodicSweep({ client, hub, namespace, log, instanceId, ...(everyMs !== undefined ? { everyMs } : {}) }));
    },
    async close() {
      for (const sweep of sweeps.values()) sweep.stop();
      sweeps.clear();
      await heartbeat.stop();
      await hub.close();
      client.close();
    },
  };
}
