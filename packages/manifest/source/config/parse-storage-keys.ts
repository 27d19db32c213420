import { DEFAULT_AGENT_VOLUME_SIZE } from "../agent-volume/agent-volume-claim.ts";
import { isDns1123Subdomain, parseQuantity } from "../k8s-formats.ts";
import { normalizeAbsolutePath, pathsOverlap } from "../paths.ts";
import { RUN_FILES_DIR, SKILLS_DIR } from "../run-files.ts";
import { DEFAULT_WORKSPACE_MOUNT_PATH } from "./defaults.ts";
import { readServerPath } from "./parse-claude-keys.ts";
import { parseInheritEnv } from "./parse-env-keys.ts";
import { type IssueList, readString, readStringArray } from "./read-values.ts";
import type { AdapterConfig } from "./types.ts";

type StorageKeys = Pick<
  AdapterConfig,
  | "workspaceVolumeClaim"
  | "workspaceMountPath"
  | "serverMountPath"
  | "inheritEnv"
  | "inheritSecretVolumes"
  | "agentVolumeStorageClass"
  | "agentVolumeSize"
>;

/** Below this a volume cannot hold even claude's session files. */
const MIN_AGENT_VOLUME_BYTES = 1024 * 1024;

/** System directories the shared volume may not replace. */
const SYSTEM_DIRECTORIES = ["/", "/bin", "/dev", "/etc", "/lib", "/lib64", "/proc", "/sbin", "/sys", "/usr", "/var", "/run", "/var/run", "/tmp"];

export function parseStorageKeys(raw: Record<string, unknown>, issues: IssueList): StorageKeys {
  const claim = readString(raw.workspaceVolumeClaim, "workspaceVolumeClaim", issues, '"paperclip-data"');
  if (claim !== undefined && !isDns1123Subdomain(claim)) {
    issues.add("workspaceVolumeClaim", "a PersistentVolumeClaim name (DNS-1123 subdomain)", raw.workspaceVolumeClaim, '"paperclip-data"');
  }
  const workspaceMountPath = readMountPath(raw.workspaceMountPath, "workspaceMountPath", issues) ?? DEFAULT_WORKSPACE_MOUNT_PATH;
  // Only a prefix of the paths Paperclip hands over: any absolute path will do, "/" included.
  const serverMountPath = readServerPath(raw.serverMountPath, "serverMountPath", issues);
  const secretVolumes = readStringArray(raw.inheritSecretVolumes, "inheritSecretVolumes", issues, '["github-mcp-token"]') ?? [];
  secretVolumes.forEach((name, index) => {
    if (!isDns1123Subdomain(name)) issues.add(`inheritSecretVolumes[${index}]`, "a Secret name", name, '"github-mcp-token"');
  });
  const storageClass = readString(raw.agentVolumeStorageClass, "agentVolumeStorageClass", issues, '"gp3"');
  if (storageClass !== undefined && !isDns1123Subdomain(storageClass)) {
    issues.add("agentVolumeStorageClass", "a StorageClass name (DNS-1123 subdomain)", raw.agentVolumeStorageClass, '"gp3"');
  }
  const size = readString(raw.agentVolumeSize, "agentVolumeSize", issues, '"20Gi"');
  const bytes = size === undefined ? undefined : parseQuantity(size);
  if (size !== undefined && (bytes === undefined || bytes < MIN_AGENT_VOLUME_BYTES)) {
    issues.add("agentVolumeSize", "a storage quantity of at least 1Mi", raw.agentVolumeSize, '"20Gi"');
  }
  const gitCredentials = readString(raw.gitCredentialsSecret, "gitCredentialsSecret", issues, '"git-credentials"');
  if (gitCredentials !== undefined && !isDns1123Subdomain(gitCredentials)) {
    issues.add("gitCredentialsSecret", "a Secret name (DNS-1123 subdomain)", raw.gitCredentialsSecret, '"git-credentials"');
  }
  return {
    ...(claim === undefined ? {} : { workspaceVolumeClaim: claim }),
    ...(gitCredentials === undefined ? {} : { gitCredentialsSecret: gitCredentials }),
    ...(storageClass === undefined ? {} : { agentVolumeStorageClass: storageClass }),
    agentVolumeSize: size ?? DEFAULT_AGENT_VOLUME_SIZE,
    workspaceMountPath,
    ...(serverMountPath === undefined ? {} : { serverMountPath }),
    inheritEnv: parseInheritEnv(raw.inheritEnv, issues),
    inheritSecretVolumes: secretVolumes,
  };
}

function readMountPath(value: unknown, path: string, issues: IssueList): string | undefined {
  const text = readString(value, path, issues, '"/paperclip"');
  if (text === undefined) return undefined;
  const normalized = normalizeAbsolutePath(text);
  if (normalized === undefined) return issues.add(path, "an absolute path", value, '"/paperclip"');
  // The run's own files are mounted there; the volume may neither hide them nor sit inside them.
  const ours = [RUN_FILES_DIR, SKILLS_DIR].some((dir) => pathsOverlap(dir, normalized));
  if (SYSTEM_DIRECTORIES.includes(normalized) || ours || normalized.includes(":")) {
    return issues.add(
      path,
      `a dedicated directory (not a system directory, not around ${RUN_FILES_DIR}, no ':')`,
      value,
      '"/paperclip"',
    );
  }
  return normalized;
}
