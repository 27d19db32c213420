// Test utility: a stand-in adapter process for close-on-shutdown.e2e.test.ts. It announces
// itself in NAMESPACE (owner Lease of OWNER_ID) on the cluster of LAB_KUBECONFIG, hooks
// closeOnShutdown, prints "ready" and then idles until a signal ends it.
import { KubeConfig } from "@kubernetes/client-node";
import { closeOnShutdown, createRuntimeContext } from "../index.ts";

const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(process.env.LAB_KUBECONFIG ?? "");
const runtime = await createRuntimeContext(kubeConfig, { ownerId: process.env.OWNER_ID ?? "adapter-process" });
closeOnShutdown(() => runtime.close());
await runtime.heartbeat.ensure(process.env.NAMESPACE ?? "default");
process.stdout.write("ready\n");
setInterval(() => {}, 60_000);
