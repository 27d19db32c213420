import { isAbsolute, join, normalize } from "node:path";
import { ContainerConfigError } from "./env.ts";
import type { Container, Pod, Volume } from "./types.ts";

// Where each of a container's mounts comes from on the host. Pure: paths only, nothing
// is created here (volume-content.ts fills the directories, the wrapper script mounts).

export type PodPaths = {
  /** <dataDir>/pods/<pod uid>: volumes/, containers/ and the logs of one pod. */
  podDir: string;
  /** <dataDir>/pvc: one host directory per claim, <namespace>/<claimName>, kept across pods. */
  claimsDir: string;
};

export type PlannedMount = {
  /** Host path bound at `target`. */
  source: string;
  /** Path inside the container. */
  target: string;
  readOnly: boolean;
  /** A file is bound onto a file (subPath of a file, the termination log), else a directory. */
  kind: "directory" | "file" | "unknown";
};

export const defaultTerminationMessagePath = "/dev/termination-log";

/** The host directory that backs `volume` for this pod. */
export function volumeHostPath(pod: Pod, volume: Volume, paths: PodPaths): string {
  const under = (kind: string) => join(paths.podDir, "volumes", kind, volume.name);
  if (volume.emptyDir) return under("empty-dir");
  if (volume.secret) return under("secret");
  if (volume.configMap) return under("configmap");
  if (volume.projected) return under("projected");
  if (volume.downwardAPI) return under("downward-api");
  if (volume.persistentVolumeClaim) {
    return join(paths.claimsDir, pod.metadata.namespace ?? "default", volume.persistentVolumeClaim.claimName);
  }
  if (volume.hostPath) return volume.hostPath.path;
  throw new ContainerConfigError(
    `volume "${volume.name}" has a type kubelet-sim does not support ` +
      "(supported: emptyDir, secret, configMap, projected, downwardAPI, persistentVolumeClaim, hostPath)",
  );
}

/** Volumes whose content the kubelet writes; a container can never write into them. */
function alwaysReadOnly(volume: Volume): boolean {
  return Boolean(volume.secret || volume.configMap || volume.projected || volume.downwardAPI);
}

/** The bind mounts of one container, in mount order (a parent path before the paths under it). */
export function planMounts(pod: Pod, container: Container, paths: PodPaths): PlannedMount[] {
  const volumes = new Map((pod.spec.volumes ?? []).map((v) => [v.name, v]));
  const mounts: PlannedMount[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const volume = volumes.get(mount.name);
    if (!volume) throw new ContainerConfigError(`volumeMount "${mount.name}" names no volume of the pod`);
    let source = volumeHostPath(pod, volume, paths);
    if (mount.subPath) {
      const sub = normalize(mount.subPath);
      if (isAbsolute(sub) || sub === ".." || sub.startsWith("../")) {
        throw new ContainerConfigError(`subPath "${mount.subPath}" of volumeMount "${mount.name}" must be a relative path inside the volume`);
      }
      source = join(source, sub);
    }
    mounts.push({
      source,
      target: mount.mountPath,
      readOnly: Boolean(mount.readOnly || alwaysReadOnly(volume) || volume.persistentVolumeClaim?.readOnly),
      kind: mount.subPath ? "unknown" : "directory",
    });
  }
  mounts.push({
    source: terminationLogHostPath(paths, container.name),
    target: container.terminationMessagePath || defaultTerminationMessagePath,
    readOnly: false,
    kind: "file",
  });
  // Shallow paths first, so /data/cache is mounted on top of /data and not hidden by it.
  return mounts.sort((a, b) => depth(a.target) - depth(b.target));
}

const depth = (path: string) => normalize(path).split("/").filter(Boolean).length;

export function terminationLogHostPath(paths: PodPaths, containerName: string): string {
  return join(paths.podDir, "containers", containerName, "termination-log");
}
