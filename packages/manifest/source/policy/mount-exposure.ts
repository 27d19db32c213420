import { ManifestError, ManifestErrorCode } from "../errors.ts";
import { toLabelValue } from "../names.ts";

/**
 * What a pod may see of the volume it shares with the Paperclip server. The server's data
 * directory holds, per instance (`instances/<id>/`), the secrets key, `.env` (the JWT signing
 * secret), the embedded database, logs and backups, next to every company's workspaces,
 * projects and managed instructions. A run mounts only its own workspace and its agent's own
 * HOME (by subPath), never the volume's root, and never a directory that holds or lies in
 * any of that.
 */

/** Per-agent HOMEs on the shared volume: `<volume>/.claude-k8s/homes/<agent>`. */
export const AGENT_HOMES_DIR = ".claude-k8s/homes";

/** The agent's own HOME, relative to the shared volume's root. */
export function agentHomeRelative(agentId: string): string {
  return `${AGENT_HOMES_DIR}/${toLabelValue(agentId)}`;
}

/** Directories of a Paperclip instance that hold company work rather than the server's own state. */
const INSTANCE_WORK_DIRS = new Set(["workspaces", "projects", "companies", "skills"]);

export interface MountOwner {
  agentId: string;
  companyId: string;
}

/**
 * Why mounting `relative` (a path inside the shared volume, "" for its root) would show the
 * pod something that is not its own, or undefined when it may. `writable` mounts (workspace)
 * must also belong to this agent and company; read-only ones (skills) only avoid the server's
 * secrets and other agents' HOMEs.
 */
export function mountExposure(relative: string, owner: MountOwner, writable: boolean): string | undefined {
  const segments = relative.split("/").filter((segment) => segment !== "");
  if (segments.length === 0) return "the volume's root (the server's data directory and every agent's files)";
  const homes = AGENT_HOMES_DIR.split("/");
  if (homes.every((segment, index) => index >= segments.length || segments[index] === segment)) {
    if (segments.length <= homes.length) return "the directory of every agent's HOME";
    if (segments[homes.length] !== toLabelValue(owner.agentId)) return "another agent's HOME";
    return undefined;
  }
  for (let index = 0; index < segments.length; index++) {
    if (segments[index] !== "instances") continue;
    if (index + 2 >= segments.length) return "a Paperclip instance directory (its secrets key, .env, database and every company's files)";
    const area = segments[index + 2]!;
    if (!INSTANCE_WORK_DIRS.has(area)) return `Paperclip's instance ${area} (server state, not an agent's work)`;
    if (!writable) continue;
    const owned = ownedWorkPath(area, segments.slice(index + 3), owner);
    if (owned !== undefined) return owned;
  }
  return undefined;
}

/** Inside an instance's work directories: only this agent's workspace and this company's projects. */
function ownedWorkPath(area: string, rest: readonly string[], owner: MountOwner): string | undefined {
  const company = companySegment(owner.companyId);
  switch (area) {
    case "workspaces":
      return rest[0] === owner.agentId ? undefined : rest.length === 0 ? "every agent's workspace" : "another agent's workspace";
    case "projects":
      if (rest.length === 0) return "every company's projects";
      return rest[0] === company ? (rest.length >= 2 ? undefined : "every project of the company") : "another company's projects";
    case "companies":
      if (rest[0] !== owner.companyId) return rest.length === 0 ? "every company's files" : "another company's files";
      return rest[1] === "agents" && rest[2] === owner.agentId ? undefined : "files of the company that are not this agent's";
    default:
      return "skills shared by every agent (mounted read-only only)";
  }
}

/** Paperclip's managed project directories name the company by a sanitised id. */
function companySegment(companyId: string): string {
  const sanitized = companyId.trim().replace(/[^a-zA-Z0-9._-]+/g, "-").replace(/^-+|-+$/g, "");
  return sanitized || "company";
}

/** Throws `k8s_mount_forbidden` naming the path, what it would expose, and the fix. */
export function checkMount(what: string, serverPath: string, relative: string, owner: MountOwner, writable: boolean): void {
  const exposure = mountExposure(relative, owner, writable);
  if (exposure === undefined) return;
  throw new ManifestError(
    ManifestErrorCode.mountForbidden,
    `${what} ${serverPath} would show the agent pod ${exposure}; a pod mounts only its own workspace and HOME. ` +
      "Give the agent a workspace of its own (a project workspace, or Paperclip's default agent workspace), " +
      "or point workspaceVolumeClaim/serverMountPath at a volume that holds agent workspaces only.",
  );
}
