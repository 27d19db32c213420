import { existsSync } from "node:fs";
import { chown, mkdir, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { AGENT_HOMES_DIR, type AdapterConfig, ManifestError, ManifestErrorCode, type RunManifests } from "@claude-k8s/manifest";

/**
 * Server-side preparation of the shared volume for one run, when this server mounts it:
 * - the agent's HOME exists and belongs to the pod's user (a directory the kubelet creates
 *   for a subPath is root's, and claude could not write its session there), readable by
 *   nobody else; the directories above it can be passed through but not listed;
 * - no directory the pod will mount holds a Paperclip data directory deeper down (the
 *   manifest's path rules see only the path; a data directory below the volume's root is
 *   only visible here).
 * Without the volume on this server (another cluster, no claim) there is nothing to do.
 */
export async function prepareSharedDirectories(manifests: RunManifests, config: Pick<AdapterConfig, "runAsUser" | "runAsGroup">): Promise<void> {
  const [home, ...others] = manifests.sharedDirectories;
  if (home === undefined) return;
  const volumeRoot = home.serverPath.slice(0, home.serverPath.length - `/${AGENT_HOMES_DIR}/${path.basename(home.serverPath)}`.length) || "/";
  if (!existsSync(volumeRoot)) return;
  await makeAgentHome(volumeRoot, home.serverPath, config);
  for (const directory of others) {
    const marker = await paperclipDataInside(directory.serverPath);
    if (marker === undefined) continue;
    throw new ManifestError(
      ManifestErrorCode.mountForbidden,
      `${directory.what} ${directory.serverPath} holds Paperclip's own data (${marker}); a pod mounts only its own workspace and HOME. ` +
        "Give the agent a workspace of its own (a project workspace, or Paperclip's default agent workspace).",
    );
  }
}

async function makeAgentHome(volumeRoot: string, home: string, config: Pick<AdapterConfig, "runAsUser" | "runAsGroup">): Promise<void> {
  let current = volumeRoot;
  for (const segment of path.relative(volumeRoot, home).split(path.sep)) {
    current = path.join(current, segment);
    const isHome = current === home;
    if (existsSync(current)) continue;
    // 0711 above the HOMEs: a pod's user may pass through, nobody lists who has one.
    await mkdir(current, { mode: isHome ? 0o700 : 0o711 });
    if (isHome && process.getuid?.() === 0) await chown(current, config.runAsUser, config.runAsGroup);
  }
}

/** Signs of a Paperclip data directory in or just below `directory` (never its content). */
async function paperclipDataInside(directory: string): Promise<string | undefined> {
  const looksLikeData = async (candidate: string): Promise<string | undefined> => {
    for (const marker of ["secrets/master.key", "db/PG_VERSION", AGENT_HOMES_DIR]) {
      if (existsSync(path.join(candidate, marker))) return path.relative(directory, path.join(candidate, marker));
    }
    return undefined;
  };
  let entries: string[];
  try {
    if (!(await stat(directory)).isDirectory()) return undefined;
    entries = await readdir(directory);
  } catch {
    return undefined;
  }
  const here = await looksLikeData(directory);
  if (here) return here;
  for (const entry of entries.slice(0, 500)) {
    const instances = path.join(directory, entry, ...(entry === "instances" ? [] : ["instances"]));
    if (!existsSync(instances)) continue;
    for (const instance of (await readdir(instances).catch(() => [])).slice(0, 50)) {
      const found = await looksLikeData(path.join(instances, instance));
      if (found) return found;
    }
  }
  return undefined;
}
