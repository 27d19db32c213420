// The lab's dynamic provisioner: the lab has no cloud disks and no CSI driver, so claims of the
// lab's StorageClass (`lab-local`) are bound here to a directory on the lab's node, the way a
// local-path provisioner does on a real cluster. It is a part of the lab, not of claude-k8s:
// the adapter only creates claims and waits for Kubernetes' own PV controller to bind them.
import { chown, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { CoreV1Api, KubeConfig, StorageV1Api, type V1PersistentVolume, type V1PersistentVolumeClaim } from "@kubernetes/client-node";

export const LAB_STORAGE_CLASS = "lab-local";
export const LAB_PROVISIONER = "lab.local/directory";
/** The uid and gid of the lab's agent pods: what a real kubelet's fsGroup would give the volume. */
const AGENT_UID = 1000;

export interface LocalProvisionerOptions {
  kubeconfigPath: string;
  /** kubelet-sim backs a claim with `<claimsDir>/<namespace>/<claim>`: the provisioner makes that directory. */
  claimsDir: string;
  /** How often it looks for claims to bind and volumes to reclaim (default 250 ms). */
  intervalMs?: number;
  log?: (line: string) => void;
}

export interface LocalProvisioner {
  stop(): Promise<void>;
}

export async function startLocalProvisioner(options: LocalProvisionerOptions): Promise<LocalProvisioner> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(options.kubeconfigPath);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const storage = kubeConfig.makeApiClient(StorageV1Api);
  await ensureStorageClass(storage);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();
  const tick = () => {
    pass = reconcile(core, options)
      .catch((error: unknown) => options.log?.(`lab provisioner: ${(error as Error).message}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs ?? 250);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pass;
    },
  };
}

async function ensureStorageClass(storage: StorageV1Api): Promise<void> {
  try {
    await storage.createStorageClass({
      body: {
        // The cluster's default, as a real cluster has one: a claim that names no class gets it.
        metadata: { name: LAB_STORAGE_CLASS, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        provisioner: LAB_PROVISIONER,
        reclaimPolicy: "Delete",
        // Bound as soon as it is claimed: the adapter's wait for a bound claim is then exercised.
        volumeBindingMode: "Immediate",
      },
    });
  } catch (error) {
    if ((error as { code?: number }).code !== 409) throw error;
  }
}

async function reconcile(core: CoreV1Api, options: LocalProvisionerOptions): Promise<void> {
  const claims = await core.listPersistentVolumeClaimForAllNamespaces();
  for (const claim of claims.items) {
    if (claim.spec?.storageClassName !== LAB_STORAGE_CLASS || claim.spec.volumeName || claim.status?.phase !== "Pending") continue;
    await provision(core, claim, options);
  }
  const volumes = await core.listPersistentVolume();
  for (const volume of volumes.items) {
    if (volume.metadata?.annotations?.["pv.kubernetes.io/provisioned-by"] !== LAB_PROVISIONER) continue;
    if (volume.status?.phase !== "Released" && volume.status?.phase !== "Failed") continue;
    await reclaim(core, volume, options);
  }
}

async function provision(core: CoreV1Api, claim: V1PersistentVolumeClaim, options: LocalProvisionerOptions): Promise<void> {
  const namespace = claim.metadata?.namespace ?? "default";
  const name = claim.metadata?.name ?? "";
  const directory = join(options.claimsDir, namespace, name);
  await mkdir(directory, { recursive: true, mode: 0o770 });
  if (process.getuid?.() === 0) await chown(directory, AGENT_UID, AGENT_UID);
  try {
    await core.createPersistentVolume({
      body: {
        metadata: { name: `lab-${claim.metadata?.uid}`, annotations: { "pv.kubernetes.io/provisioned-by": LAB_PROVISIONER } },
        spec: {
          capacity: { storage: claim.spec?.resources?.requests?.storage ?? "1Gi" },
          accessModes: claim.spec?.accessModes ?? ["ReadWriteOnce"],
          storageClassName: LAB_STORAGE_CLASS,
          persistentVolumeReclaimPolicy: "Delete",
          hostPath: { path: directory, type: "Directory" },
          claimRef: { namespace, name, uid: claim.metadata?.uid ?? "" },
        },
      },
    });
    options.log?.(`lab provisioner: bound ${namespace}/${name} to ${directory}`);
  } catch (error) {
    if ((error as { code?: number }).code !== 409) throw error;
  }
}

/** reclaimPolicy Delete: the claim is gone, so its directory and volume go too. */
async function reclaim(core: CoreV1Api, volume: V1PersistentVolume, options: LocalProvisionerOptions): Promise<void> {
  const directory = volume.spec?.hostPath?.path;
  if (directory?.startsWith(`${options.claimsDir}/`)) await rm(directory, { recursive: true, force: true });
  try {
    await core.deletePersistentVolume({ name: volume.metadata?.name ?? "" });
    options.log?.(`lab provisioner: reclaimed ${volume.metadata?.name}`);
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
  }
}
