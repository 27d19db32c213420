// Test utilities: a runtime context whose client refuses every call and counts it, for
// tests that prove a run never reached the cluster.
import { KeyedMutex } from "@claude-k8s/keyed-mutex";
import { OwnerHeartbeat } from "../exclusivity/owner-heartbeat.ts";
import type { KubeClient, KubeRequest } from "../kube/kube-client.ts";
import { WatchHub } from "../kube/watch-hub.ts";
import type { RuntimeContext } from "../run/runtime-context.ts";

export function noClusterRuntime(): { runtime: RuntimeContext; calls: string[] } {
  const calls: string[] = [];
  const refuse = (request: Pick<KubeRequest, "path"> & { method?: string }) => {
    calls.push(`${request.method ?? "STREAM"} ${request.path}`);
    return Promise.reject(new Error("this test has no cluster"));
  };
  const client: KubeClient = {
    server: "https://no-cluster.invalid",
    contextNamespace: undefined,
    request: refuse,
    stream: refuse,
    close() {},
  };
  const hub = new WatchHub(client, { lingerMs: 0 });
  const heartbeat = new OwnerHeartbeat(client, { ownerId: "test-owner" });
  return {
    calls,
    runtime: {
      client,
      hub,
      heartbeat,
      mutex: new KeyedMutex<string>(),
      instanceId: "default",
      log: () => {},
      sweepPeriodically() {},
      async close() {
        await heartbeat.stop();
        await hub.close();
      },
    },
  };
}
