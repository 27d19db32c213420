import { isDns1123Subdomain } from "../k8s-formats.ts";
import { normalizeAbsolutePath } from "../paths.ts";
import { DEFAULT_WORKSPACE_MOUNT_PATH } from "./defaults.ts";
import { readServerPath } from "./parse-claude-keys.ts";
import { parseInheritEnv } from "./parse-env-keys.ts";
import { type IssueList, readString, readStringArray } from "./read-values.ts";
import type { AdapterConfig } from "./types.ts";

type StorageKeys = Pick<
  AdapterConfig,
  "workspaceVolumeClaim" | "workspaceMountPath" | "serverMountPath" | "inheritEnv" | "inheritSecretVolumes"
>;

/** Mount paths the pod needs for itself; the shared volume may not cover them. */
const FORBIDDEN_MOUNT_ROOTS = ["/", "/bin", "/dev", "/etc", "/lib", "/proc", "/sbin", "/sys", "/usr", "/var/run/claude-k8s"];

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
  return {
    ...(claim === undefined ? {} : { workspaceVolumeClaim: claim }),
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
  if (FORBIDDEN_MOUNT_ROOTS.includes(normalized) || normalized.includes(":")) {
    return issues.add(path, "a dedicated directory (not a system directory, no ':')", value, '"/paperclip"');
  }
  return normalized;
}
