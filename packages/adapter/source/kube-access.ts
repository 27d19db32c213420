import { closeOnShutdown, createRuntimeContext, type KubeTarget, type RuntimeContext } from "@claude-k8s/k8s-runtime";
import { instanceIdFromEnv } from "./instance-id.ts";
import { serverLog } from "./server-log.ts";

// Target resolution lives in k8s-runtime (the package that owns every cluster call); the
// adapter keeps one runtime per cluster identity per process.
export { type KubeTarget, KubeTargetError, resolveKubeTarget, runsInCluster } from "@claude-k8s/k8s-runtime";

const runtimes = new Map<string, Promise<RuntimeContext>>();

let shutdownHook: (() => void) | undefined;

/**
 * One runtime (client, watches, heartbeat) per cluster identity per process, shared by all
 * runs. On SIGTERM the heartbeats stop and the owner Leases are given back, so the next
 * process can adopt this one's Jobs at once instead of after the staleness window.
 */
export function runtimeFor(target: KubeTarget): Promise<RuntimeContext> {
  shutdownHook ??= closeOnShutdown(closeRuntimes);
  let runtime = runtimes.get(target.source);
  if (!runtime) {
    // Process-level messages (watch trouble, sweeps) go to the server's log, never into a run's transcript.
    runtime = createRuntimeContext(target.kubeConfig, { log: serverLog().runtimeLog, instanceId: instanceIdFromEnv() });
    runtime.catch(() => runtimes.delete(target.source));
    runtimes.set(target.source, runtime);
  }
  return runtime;
}

/** Stops every runtime and its sweeps (tests, and a graceful server shutdown). */
export async function closeRuntimes(): Promise<void> {
  shutdownHook?.();
  shutdownHook = undefined;
  const all = [...runtimes.values()];
  runtimes.clear();
  await Promise.all(all.map(async (runtime) => (await runtime).close()));
}
