import { join } from "node:path";
import type { ControlPlane } from "../control-plane/control-plane.ts";
import { writeKubeconfig } from "../control-plane/kubeconfig.ts";
import { type ControlApi, startControlApi } from "./control-api.ts";
import type { FaultProxyControls } from "./controls.ts";
import { type ProxyServer, createProxyServer } from "./proxy-server.ts";

export type FaultProxy = {
  /** https://127.0.0.1:<port>: the API server as seen through the proxy. */
  server: string;
  /** cluster-admin through the proxy (same identity as the control plane's admin kubeconfig). */
  kubeconfigPath: string;
  controls: FaultProxyControls;
  /** For other processes: connectFaultProxy(controlEndpoint). */
  controlEndpoint: { url: string; token: string };
  /** The lab hands over how to restart its node's kubelet once the node runs (real node only). */
  setKubeletRestart(restart: () => Promise<void>): void;
  stop(): Promise<void>;
};

/** Starts the fault proxy in this process in front of `controlPlane`'s API server. */
export async function startFaultProxy(controlPlane: ControlPlane): Promise<FaultProxy> {
  const { pki } = controlPlane;
  const [serving, frontProxyClient] = await Promise.all([
    pki.issue(pki.clusterCa, {
      name: "fault-proxy",
      commonName: "lab-fault-proxy",
      usage: "server",
      ipAddresses: ["127.0.0.1"],
      dnsNames: ["localhost"],
    }),
    pki.issue(pki.frontProxyCa, { name: "fault-proxy-front-proxy-client", commonName: "front-proxy-client", usage: "client" }),
  ]);
  const proxy: ProxyServer = createProxyServer({
    upstream: controlPlane.server,
    caPath: controlPlane.caPath,
    serving,
    frontProxyClient,
  });
  await new Promise<void>((resolve, reject) => {
    proxy.server.once("error", reject);
    proxy.server.listen(0, "127.0.0.1", resolve);
  });
  const address = proxy.server.address();
  if (typeof address !== "object" || address === null) throw new Error("fault proxy: server has no address");
  const server = `https://127.0.0.1:${address.port}`;

  let kubeletRestart: (() => Promise<void>) | undefined;
  const controls: FaultProxyControls = {
    stats: async () => proxy.stats(),
    resetStats: async () => proxy.resetStats(),
    addLatency: async (rule) => proxy.rules.addLatency(rule),
    injectErrors: async (rule) => proxy.rules.addErrors(rule, Date.now()),
    clearFaults: async () => proxy.rules.clear(),
    cut: async (kind, match) => proxy.cut(kind, match),
    stall: async (kind, match) => proxy.stall(kind, match),
    async restartApiServer() {
      const started = Date.now();
      await controlPlane.restartApiServer();
      return { ms: Date.now() - started };
    },
    async restartKubelet() {
      if (!kubeletRestart) throw new Error("restartKubelet: only the real node has a kubelet (CLAUDE_K8S_LAB_NODE=real)");
      const started = Date.now();
      await kubeletRestart();
      return { ms: Date.now() - started };
    },
  };
  let controlApi: ControlApi;
  try {
    controlApi = await startControlApi(controls);
  } catch (error) {
    await proxy.close();
    throw error;
  }
  const kubeconfigPath = await writeKubeconfig({
    path: join(controlPlane.dataDir, "admin-via-fault-proxy.kubeconfig"),
    server,
    caPath: controlPlane.caPath,
    client: controlPlane.adminClient,
    name: "claude-k8s-lab-via-fault-proxy",
    user: "lab-admin",
  });
  let stopped: Promise<void> | undefined;
  return {
    server,
    kubeconfigPath,
    controls,
    controlEndpoint: { url: controlApi.url, token: controlApi.token },
    setKubeletRestart(restart) {
      kubeletRestart = restart;
    },
    stop() {
      stopped ??= Promise.all([controlApi.close(), proxy.close()]).then(() => {});
      return stopped;
    },
  };
}
