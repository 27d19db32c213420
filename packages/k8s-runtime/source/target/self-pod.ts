import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { KubeConfig } from "@kubernetes/client-node";
import type { SelfPodInfo } from "@claude-k8s/manifest";
import { createKubeClient } from "../kube/kube-client.ts";
import { runsInCluster } from "./kube-target.ts";

interface PodSpecSlice {
  metadata?: { namespace?: string };
  spec?: {
    containers?: { name: string; image?: string; env?: { name: string; value?: string; valueFrom?: Record<string, unknown> }[]; volumeMounts?: { name: string; mountPath: string }[] }[];
    volumes?: { name: string; persistentVolumeClaim?: { claimName: string }; secret?: { secretName: string; items?: { key: string; path: string; mode?: number }[]; optional?: boolean; defaultMode?: number } }[];
    imagePullSecrets?: { name: string }[];
    dnsConfig?: SelfPodInfo["dnsConfig"];
    nodeSelector?: Record<string, string>;
    tolerations?: NonNullable<SelfPodInfo["tolerations"]>;
  };
}

let cached: Promise<SelfPodInfo | undefined> | undefined;

/**
 * What the Paperclip server's own pod says (image, namespace, shared volume, pull secrets,
 * DNS, placement, env and Secret volumes for the allowlist). Always read with the in-cluster
 * identity: the Jobs' kubeconfig may point at another cluster, which knows nothing of this
 * pod. Outside a pod: undefined, and everything comes from the config.
 */
export function selfPodInfo(log: (line: string) => void): Promise<SelfPodInfo | undefined> {
  cached ??= readSelfPod(log);
  return cached;
}

async function readSelfPod(log: (line: string) => void): Promise<SelfPodInfo | undefined> {
  if (!runsInCluster()) return undefined;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromCluster();
  const client = await createKubeClient(kubeConfig);
  try {
    const namespace = (await readFile("/var/run/secrets/kubernetes.io/serviceaccount/namespace", "utf8")).trim();
    const name = process.env.HOSTNAME || hostname();
    const pod = await client.request<PodSpecSlice>({ method: "GET", path: `/api/v1/namespaces/${namespace}/pods/${name}` });
    return describeSelfPod(pod, namespace);
  } catch (error) {
    log(`could not read this server's own pod (in-cluster identity; needs "get" on pods in its namespace): ${(error as Error).message}; placement comes from the config alone`);
    return undefined;
  } finally {
    client.close();
  }
}

/** The SelfPodInfo of a pod object. The data volume is the PVC mounted at the shallowest path. */
export function describeSelfPod(pod: PodSpecSlice, namespace: string): SelfPodInfo {
  const spec = pod.spec ?? {};
  const main = spec.containers?.[0];
  const volumes = new Map((spec.volumes ?? []).map((volume) => [volume.name, volume]));
  const pvcMounts = (main?.volumeMounts ?? [])
    .map((mount) => ({ mount, volume: volumes.get(mount.name) }))
    .filter((entry) => entry.volume?.persistentVolumeClaim)
    .sort((a, b) => a.mount.mountPath.length - b.mount.mountPath.length);
  const data = pvcMounts[0];
  const secretVolumes = (main?.volumeMounts ?? []).flatMap((mount) => {
    const secret = volumes.get(mount.name)?.secret;
    return secret ? [{ secretName: secret.secretName, mountPath: mount.mountPath, ...(secret.items ? { items: secret.items } : {}), ...(secret.optional !== undefined ? { optional: secret.optional } : {}), ...(secret.defaultMode !== undefined ? { defaultMode: secret.defaultMode } : {}) }] : [];
  });
  return {
    namespace: pod.metadata?.namespace ?? namespace,
    ...(main?.image ? { image: main.image } : {}),
    ...(data ? { dataVolumeClaim: data.volume!.persistentVolumeClaim!.claimName, dataMountPath: data.mount.mountPath } : {}),
    ...(spec.imagePullSecrets ? { imagePullSecrets: spec.imagePullSecrets.map((secret) => secret.name) } : {}),
    ...(spec.dnsConfig ? { dnsConfig: spec.dnsConfig } : {}),
    ...(spec.nodeSelector ? { nodeSelector: spec.nodeSelector } : {}),
    ...(spec.tolerations ? { tolerations: spec.tolerations } : {}),
    ...(main?.env ? { env: main.env } : {}),
    ...(secretVolumes.length > 0 ? { secretVolumes } : {}),
  };
}
