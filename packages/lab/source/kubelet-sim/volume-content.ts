import { chmod, chown, mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, normalize } from "node:path";
import type { ObjectLookups } from "./env.ts";
import { type NodeFacts, resolveFieldPath, resolveResourceField } from "./field-ref.ts";
import type { KeyToPath, Pod, Volume } from "./types.ts";
import { type PodPaths, volumeHostPath } from "./volume-plan.ts";

// Fills the host directories behind a pod's volumes before its first container starts,
// like the kubelet's volume manager: Secret, ConfigMap, downward API and service-account
// token files; empty directories for emptyDir and persistent volume claims.

export type VolumeSources = ObjectLookups & {
  /** A TokenRequest for the pod's ServiceAccount, bound to the pod. */
  serviceAccountToken(pod: Pod, request: { audience?: string; expirationSeconds: number }): Promise<string>;
};

/** A volume could not be set up: the pod stays ContainerCreating (as on a real node) and is retried. */
export class VolumeSetupError extends Error {
  override name = "VolumeSetupError";
}

const defaultFileMode = 0o644;
const defaultTokenExpirationSeconds = 3607;

type FileToWrite = { path: string; content: string | Buffer; mode: number };

export async function prepareVolumes(pod: Pod, paths: PodPaths, sources: VolumeSources, node: NodeFacts): Promise<void> {
  const fsGroup = pod.spec.securityContext?.fsGroup;
  for (const volume of pod.spec.volumes ?? []) {
    const dir = volumeHostPath(pod, volume, paths);
    try {
      if (volume.emptyDir || volume.persistentVolumeClaim) {
        // World-writable like the kubelet's emptyDir: containers run as any uid.
        await mkdir(dir, { recursive: true });
        await chmod(dir, 0o777);
        continue;
      }
      if (volume.hostPath) {
        if (volume.hostPath.type === "DirectoryOrCreate") await mkdir(dir, { recursive: true });
        continue;
      }
      const files = await volumeFiles(pod, volume, sources, node);
      await writeVolume(dir, files, fsGroup);
    } catch (error) {
      if (error instanceof VolumeSetupError) throw error;
      throw new VolumeSetupError(`MountVolume.SetUp failed for volume "${volume.name}" : ${(error as Error).message}`);
    }
  }
}

async function volumeFiles(pod: Pod, volume: Volume, sources: VolumeSources, node: NodeFacts): Promise<FileToWrite[]> {
  const namespace = pod.metadata.namespace ?? "default";
  const fail = (message: string): never => {
    throw new VolumeSetupError(`MountVolume.SetUp failed for volume "${volume.name}" : ${message}`);
  };
  const keyed = (data: Record<string, string | Buffer>, items: KeyToPath[] | undefined, mode: number, what: string) => {
    if (!items) return Object.entries(data).map(([key, content]) => ({ path: key, content, mode }));
    return items.map((item) => {
      const content = data[item.key];
      if (content === undefined) {
        fail(what === "secret" ? `references non-existent secret key: ${item.key}` : `configmap references non-existent config key: ${item.key}`);
      }
      return { path: item.path, content: content as string | Buffer, mode: item.mode ?? mode };
    });
  };

  if (volume.secret) {
    const mode = volume.secret.defaultMode ?? defaultFileMode;
    const secret = await sources.secret(namespace, volume.secret.secretName);
    if (!secret) return volume.secret.optional ? [] : fail(`secret "${volume.secret.secretName}" not found`);
    return keyed(binarySecretData(secret.data, secret.stringData), volume.secret.items, mode, "secret");
  }
  if (volume.configMap) {
    const mode = volume.configMap.defaultMode ?? defaultFileMode;
    const configMap = await sources.configMap(namespace, volume.configMap.name);
    if (!configMap) return volume.configMap.optional ? [] : fail(`configmap "${volume.configMap.name}" not found`);
    return keyed({ ...configMap.data, ...binarySecretData(configMap.binaryData) }, volume.configMap.items, mode, "configmap");
  }
  if (volume.downwardAPI) {
    const mode = volume.downwardAPI.defaultMode ?? defaultFileMode;
    return downwardFiles(pod, volume.downwardAPI.items ?? [], mode, node, fail);
  }
  const projected = volume.projected;
  if (!projected) return [];
  const mode = projected.defaultMode ?? defaultFileMode;
  const files: FileToWrite[] = [];
  for (const source of projected.sources ?? []) {
    if (source.secret) {
      const secret = await sources.secret(namespace, source.secret.name);
      if (!secret) {
        if (!source.secret.optional) fail(`secret "${source.secret.name}" not found`);
        continue;
      }
      files.push(...keyed(binarySecretData(secret.data, secret.stringData), source.secret.items, mode, "secret"));
    } else if (source.configMap) {
      const configMap = await sources.configMap(namespace, source.configMap.name);
      if (!configMap) {
        if (!source.configMap.optional) fail(`configmap "${source.configMap.name}" not found`);
        continue;
      }
      files.push(...keyed({ ...configMap.data }, source.configMap.items, mode, "configmap"));
    } else if (source.downwardAPI) {
      files.push(...downwardFiles(pod, source.downwardAPI.items ?? [], mode, node, fail));
    } else if (source.serviceAccountToken) {
      const token = await sources.serviceAccountToken(pod, {
        audience: source.serviceAccountToken.audience,
        expirationSeconds: source.serviceAccountToken.expirationSeconds ?? defaultTokenExpirationSeconds,
      });
      files.push({ path: source.serviceAccountToken.path, content: token, mode });
    }
  }
  return files;
}

function downwardFiles(
  pod: Pod,
  items: NonNullable<NonNullable<Volume["downwardAPI"]>["items"]>,
  mode: number,
  node: NodeFacts,
  fail: (message: string) => never,
): FileToWrite[] {
  return items.map((item) => {
    const value = item.fieldRef
      ? resolveFieldPath(pod, item.fieldRef.fieldPath, node)
      : item.resourceFieldRef
        ? resolveResourceField(pod, undefined, item.resourceFieldRef, node)
        : new Error(`downwardAPI item "${item.path}" has neither fieldRef nor resourceFieldRef`);
    if (value instanceof Error) fail(value.message);
    return { path: item.path, content: value as string, mode: item.mode ?? mode };
  });
}

function binarySecretData(data: Record<string, string> | undefined, stringData?: Record<string, string>): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries(data ?? {})) out[key] = Buffer.from(value, "base64");
  for (const [key, value] of Object.entries(stringData ?? {})) out[key] = Buffer.from(value);
  return out;
}

/** Rewrites the directory from scratch, so a key removed from the Secret disappears too. */
async function writeVolume(dir: string, files: FileToWrite[], fsGroup: number | undefined): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o755 });
  for (const file of files) {
    const relative = normalize(file.path);
    if (relative.startsWith("..") || relative.startsWith("/")) {
      throw new VolumeSetupError(`volume file path "${file.path}" must stay inside the volume`);
    }
    const path = join(dir, relative);
    await mkdir(dirname(path), { recursive: true, mode: 0o755 });
    await writeFile(path, file.content);
    // With an fsGroup the kubelet hands the files to that group, readable by it.
    if (fsGroup !== undefined) await chown(path, 0, fsGroup);
    await chmod(path, fsGroup !== undefined ? file.mode | 0o440 : file.mode);
  }
}

/**
 * When the pod's projected service-account tokens need renewing: at 80% of the shortest
 * expirationSeconds, as the kubelet does; undefined when the pod has none.
 */
export function tokenRefreshDelayMs(pod: Pod): number | undefined {
  const lifetimes = (pod.spec.volumes ?? []).flatMap((volume) =>
    (volume.projected?.sources ?? []).flatMap((source) =>
      source.serviceAccountToken ? [source.serviceAccountToken.expirationSeconds ?? defaultTokenExpirationSeconds] : [],
    ),
  );
  return lifetimes.length === 0 ? undefined : Math.min(...lifetimes) * 1000 * 0.8;
}

/**
 * Writes fresh tokens into the projected volumes, in place: the container's bind mount
 * holds the directory's inode, so the files must be rewritten, not the directory replaced.
 */
export async function refreshServiceAccountTokens(pod: Pod, paths: PodPaths, sources: VolumeSources): Promise<void> {
  for (const volume of pod.spec.volumes ?? []) {
    for (const source of volume.projected?.sources ?? []) {
      if (!source.serviceAccountToken) continue;
      const token = await sources.serviceAccountToken(pod, {
        audience: source.serviceAccountToken.audience,
        expirationSeconds: source.serviceAccountToken.expirationSeconds ?? defaultTokenExpirationSeconds,
      });
      await writeFile(join(volumeHostPath(pod, volume, paths), normalize(source.serviceAccountToken.path)), token);
    }
  }
}
