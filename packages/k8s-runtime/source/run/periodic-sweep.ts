import { ownerLastSeenFrom } from "../exclusivity/owner-heartbeat.ts";
import type { KubeClient } from "../kube/kube-client.ts";
import type { WatchHub } from "../kube/watch-hub.ts";
import { sweepNamespace } from "./sweep-namespace.ts";

export interface PeriodicSweep {
  stop(): void;
}

/**
 * The runtime's explicit resync of a namespace: every `everyMs` (10 min) it sweeps what
 * dead adapter processes left there (`sweepNamespace`), judging owners by the renewals this
 * process has seen (it holds the namespace's owner Lease watch while it runs). Running Jobs
 * without our owner mark are reported, never deleted.
 */
export function startPeriodicSweep(options: { client: KubeClient; hub: WatchHub; namespace: string; everyMs?: number; log: (line: string) => void; instanceId?: string }): PeriodicSweep {
  const { client, namespace, log } = options;
  const owners = ownerLastSeenFrom(options.hub, namespace);
  const timer = setInterval(() => {
    if (!owners.watch.isSynced) return;
    sweepNamespace(client, namespace, { delete: true, ownerLastSeen: owners.lastSeen, ...(options.instanceId !== undefined ? { instanceId: options.instanceId } : {}) })
      .then((report) => {
        const count = report.plan.jobs.length + report.plan.pods.length + report.plan.secrets.length;
        if (count > 0) log(`swept ${count} leftover object(s) in ${namespace}${report.failures.length ? `; ${report.failures.length} failed: ${report.failures.join("; ")}` : ""}`);
        for (const item of report.plan.unowned) log(`left alone Job ${namespace}/${item.object.metadata?.name}: ${item.reason}`);
      })
      .catch((error: unknown) => log(`sweep of ${namespace} failed: ${(error as Error).message}`));
  }, options.everyMs ?? 10 * 60_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      owners.release();
    },
  };
}
