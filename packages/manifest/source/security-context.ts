import type { AdapterConfig } from "./config/types.ts";

/**
 * Pod and container security contexts that satisfy Pod Security Standards `restricted`:
 * non-root uid/gid, no privilege escalation, every capability dropped, the runtime's default
 * seccomp profile. No fsGroup unless configured: the kubelet would chown the whole shared
 * volume on every pod start (hours on a large CephFS).
 */
export function podSecurityContext(config: Pick<AdapterConfig, "runAsUser" | "runAsGroup" | "fsGroup">) {
  return {
    runAsNonRoot: true,
    runAsUser: config.runAsUser,
    runAsGroup: config.runAsGroup,
    ...(config.fsGroup === undefined ? {} : { fsGroup: config.fsGroup, fsGroupChangePolicy: "OnRootMismatch" }),
    seccompProfile: { type: "RuntimeDefault" },
  };
}

export function containerSecurityContext(config: Pick<AdapterConfig, "runAsUser" | "runAsGroup">) {
  return {
    runAsNonRoot: true,
    runAsUser: config.runAsUser,
    runAsGroup: config.runAsGroup,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
    // claude and its tools write caches and temp files outside the workspace.
    readOnlyRootFilesystem: false,
  };
}
