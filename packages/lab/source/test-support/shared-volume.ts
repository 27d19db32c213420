// The shared ReadWriteMany volume of a real install, in the lab: one PersistentVolume and a
// claim bound to it, whose directory on the lab's node IS the Paperclip server's data
// directory. Paperclip's workspace paths then mean the same files in the agent pod (through
// the adapter's serverMountPath -> workspaceMountPath translation), and the claude session
// a run leaves under HOME is there for the next run to resume.
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { adminClients, eventually, labEndpoints } from "./lab-client.ts";

export interface SharedVolume {
  readonly claimName: string;
  remove(): Promise<void>;
}

export async function createSharedVolume(namespace: string, claimName: string, serverDir: string): Promise<SharedVolume> {
  const { core } = adminClients();
  const pvName = `${namespace}-${claimName}`;
  await core.createPersistentVolume({
    body: {
      metadata: { name: pvName },
      spec: {
        capacity: { storage: "1Gi" },
        accessModes: ["ReadWriteMany"],
        storageClassName: "",
        persistentVolumeReclaimPolicy: "Retain",
        // The lab's node backs every claim with a directory of its own (below); the PV's
        // source only has to be valid.
        hostPath: { path: serverDir, type: "Directory" },
        claimRef: { namespace, name: claimName },
      },
    },
  });
  await core.createNamespacedPersistentVolumeClaim({
    namespace,
    body: {
      metadata: { name: claimName },
      spec: { accessModes: ["ReadWriteMany"], storageClassName: "", volumeName: pvName, resources: { requests: { storage: "1Gi" } } },
    },
  });
  // The scheduler keeps a pod with an unbound claim Pending: wait for the binder.
  await eventually(`claim ${namespace}/${claimName} Bound`, async () => {
    const claim = await core.readNamespacedPersistentVolumeClaim({ name: claimName, namespace });
    return claim.status?.phase === "Bound" ? true : undefined;
  }, 60_000);

  // kubelet-sim backs a claim with <node dir>/pvc/<namespace>/<claim>: make that the server's dir.
  const claimDir = path.join(labEndpoints().dataDir, "node", "pvc", namespace, claimName);
  mkdirSync(path.dirname(claimDir), { recursive: true });
  symlinkSync(serverDir, claimDir);
  return {
    claimName,
    async remove() {
      rmSync(claimDir, { force: true }); // the link only, never the server's files
      await core.deleteNamespacedPersistentVolumeClaim({ name: claimName, namespace }).catch(() => {});
      await core.deletePersistentVolume({ name: pvName }).catch(() => {});
    },
  };
}
