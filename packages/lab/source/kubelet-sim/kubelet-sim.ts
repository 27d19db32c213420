import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type ApiClient, createApiClient, isNotFound } from "./api-client.ts";
import { createEventRecorder } from "./events.ts";
import type { NodeFacts } from "./field-ref.ts";
import type { ImageCatalog } from "./image-catalog.ts";
import { readKubeconfig } from "./kubeconfig.ts";
import { startLogServer } from "./log-server.ts";
import { detectMemoryCgroups, sweepStaleCgroups } from "./memory-cgroup.ts";
import { registerNode } from "./node-heartbeat.ts";
import type { NodeResources } from "./node-object.ts";
import { parseQuantity } from "./quantity.ts";
import { PodWorker } from "./pod-worker.ts";
import { checkContainerRuntime } from "./runtime-check.ts";
import { startPodWatch } from "./pod-watch.ts";
import type { ConfigMap, Pod, Secret } from "./types.ts";
import type { VolumeSources } from "./volume-content.ts";

export type KubeletSimOptions = {
  /** Credentials of the node: ideally CN=system:node:<nodeName>, O=system:nodes (an admin kubeconfig works too). */
  kubeconfigPath: string;
  nodeName: string;
  /** Pod volumes, container logs and wrapper scripts (pods/<uid>/...), claim directories (pvc/<ns>/<claim>). */
  dataDir: string;
  /** The HTTPS serving certificate of the kubelet API; the API server checks it against the cluster CA. */
  servingCertPath: string;
  servingKeyPath: string;
  /** CA of the API server's kubelet-client certificate (the cluster CA). */
  clientCaPath: string;
  /** Image reference -> present | missing | slow. Unknown images are present. */
  images?: ImageCatalog;
  /** Node capacity (= allocatable). Default 2 CPUs, 8Gi, 110 pods. */
  capacity?: Partial<NodeResources>;
  /** Where pods reach the API server (KUBERNETES_SERVICE_HOST/PORT). Default: the kubeconfig's server. */
  podApiServer?: string;
  /** PATH of containers whose image sets none. Default: kubelet-sim's own PATH (images run on the host). */
  containerPath?: string;
  /** First ImagePullBackOff delay in ms (doubles up to 5 min). Default 2000. */
  imagePullBackoffMs?: number;
  log?: (line: string) => void;
};

export type KubeletSim = {
  nodeName: string;
  /** The port of the kubelet HTTPS API on 127.0.0.1 (daemonEndpoints.kubeletEndpoint.Port). */
  kubeletPort: number;
  /** "cgroup v1", "cgroup v2" or "rss polling": how memory limits are enforced here. */
  memoryEnforcement: string;
  /** Stops watching, kills every container process, closes the log server. Idempotent. */
  stop(): Promise<void>;
};

const defaultCapacity: NodeResources = { cpu: "2", memory: "8Gi", pods: "110" };

export async function startKubeletSim(options: KubeletSimOptions): Promise<KubeletSim> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  await checkContainerRuntime();
  const [connection, cert, key, clientCa] = await Promise.all([
    readKubeconfig(options.kubeconfigPath),
    readRequired(options.servingCertPath, "servingCertPath"),
    readRequired(options.servingKeyPath, "servingKeyPath"),
    readRequired(options.clientCaPath, "clientCaPath"),
  ]);
  await mkdir(join(options.dataDir, "pods"), { recursive: true, mode: 0o700 });
  const api = createApiClient(connection);
  const cleanups: Array<() => Promise<void> | void> = [() => api.close()];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const version = await api.json<{ gitVersion: string }>("GET", "/version").catch((error: Error) => {
      throw new Error(`kubelet-sim: the API server at ${connection.server} does not answer: ${error.message}`);
    });
    const cgroups = await detectMemoryCgroups(options.nodeName);
    if (cgroups) {
      const swept = await sweepStaleCgroups(cgroups);
      if (swept > 0) log(`kubelet-sim: removed ${swept} container cgroup(s) left by an earlier run`);
      cleanups.push(() => cgroups.dispose());
    }

    const capacity = { ...defaultCapacity, ...options.capacity };
    const podApi = new URL(options.podApiServer ?? connection.server);
    const node: NodeFacts = {
      hostIP: "127.0.0.1",
      podIP: "127.0.0.1",
      allocatable: { cpu: parseQuantity(capacity.cpu), memory: parseQuantity(capacity.memory) },
    };
    const workers = new Map<string, PodWorker>();
    cleanups.push(async () => {
      await Promise.all([...workers.values()].map((w) => w.shutdown()));
      workers.clear();
    });

    const logServer = await startLogServer({
      cert,
      key,
      clientCa,
      log,
      findLog(namespace, pod, container, previous) {
        const worker = [...workers.values()].reverse().find((w) => w.key === `${namespace}/${pod}`);
        if (!worker) return `pod "${pod}" in namespace "${namespace}" is not on node "${options.nodeName}"`;
        return (
          worker.logFor(container, previous) ??
          `${previous ? "previous terminated" : "the"} container "${container}" in pod "${pod}" has no log (not started)`
        );
      },
    });
    cleanups.push(() => logServer.close());

    const heartbeat = await registerNode(
      api,
      { nodeName: options.nodeName, kubeletPort: logServer.port, capacity, kubeletVersion: version.gitVersion },
      log,
    );
    cleanups.push(() => heartbeat.stop());

    const context = {
      api,
      dataDir: options.dataDir,
      images: options.images ?? {},
      node,
      sources: volumeSources(api),
      cgroups,
      baseEnv: {
        PATH: options.containerPath ?? process.env.PATH ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        KUBERNETES_SERVICE_HOST: podApi.hostname,
        KUBERNETES_SERVICE_PORT: podApi.port || "443",
        KUBERNETES_SERVICE_PORT_HTTPS: podApi.port || "443",
      },
      imagePullBackoffMs: options.imagePullBackoffMs ?? 2_000,
      configRetryMs: 1_000,
      recordEvent: createEventRecorder(api, options.nodeName, log),
      log,
    };
    const watch = startPodWatch(
      api,
      options.nodeName,
      {
        upsert(pod) {
          const worker = workers.get(pod.metadata.uid);
          if (worker) worker.update(pod);
          else workers.set(pod.metadata.uid, new PodWorker(context, pod));
        },
        remove(pod) {
          const worker = workers.get(pod.metadata.uid);
          workers.delete(pod.metadata.uid);
          void worker?.removed();
        },
        resync(pods) {
          const present = new Set(pods.map((p) => p.metadata.uid));
          for (const [uid, worker] of workers) {
            if (present.has(uid)) continue;
            workers.delete(uid);
            void worker.removed();
          }
          for (const pod of pods) this.upsert(pod);
        },
      },
      log,
    );
    cleanups.push(() => watch.stop());
    await watch.synced;

    let stopped: Promise<void> | undefined;
    return {
      nodeName: options.nodeName,
      kubeletPort: logServer.port,
      memoryEnforcement: cgroups ? `cgroup v${cgroups.version}` : "rss polling",
      stop() {
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function readRequired(path: string, option: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new Error(`kubelet-sim: cannot read ${option} ${path}: ${(error as Error).message}`);
  }
}

/** Secrets, ConfigMaps and ServiceAccount tokens, read with the node's own credentials. */
function volumeSources(api: ApiClient): VolumeSources {
  const get = async <T>(path: string): Promise<T | undefined> => {
    try {
      return await api.json<T>("GET", path);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
  const ns = (namespace: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}`;
  return {
    secret: (namespace, name) => get<Secret>(`${ns(namespace)}/secrets/${encodeURIComponent(name)}`),
    configMap: (namespace, name) => get<ConfigMap>(`${ns(namespace)}/configmaps/${encodeURIComponent(name)}`),
    async serviceAccountToken(pod: Pod, request) {
      const serviceAccount = pod.spec.serviceAccountName ?? "default";
      const answer = await api.json<{ status: { token: string } }>(
        "POST",
        `${ns(pod.metadata.namespace ?? "default")}/serviceaccounts/${encodeURIComponent(serviceAccount)}/token`,
        {
          body: {
            apiVersion: "authentication.k8s.io/v1",
            kind: "TokenRequest",
            spec: {
              audiences: request.audience ? [request.audience] : [],
              expirationSeconds: request.expirationSeconds,
              boundObjectRef: { apiVersion: "v1", kind: "Pod", name: pod.metadata.name, uid: pod.metadata.uid },
            },
          },
        },
      );
      return answer.status.token;
    },
  };
}
