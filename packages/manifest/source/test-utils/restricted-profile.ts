import type { PodSpec } from "../job.ts";

const ALLOWED_VOLUME_TYPES = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

/**
 * The Pod Security Standards `restricted` rules (baseline included) as the API server's
 * PodSecurity admission applies them, for the fields a pod spec of ours can carry.
 * Returns the violations; empty means admitted.
 */
export function restrictedProfileViolations(spec: PodSpec): string[] {
  const pod = spec as PodSpec & Record<string, unknown>;
  const violations: string[] = [];
  for (const field of ["hostNetwork", "hostPID", "hostIPC"]) if (pod[field] === true) violations.push(`${field} is true`);
  for (const volume of spec.volumes) {
    const types = Object.keys(volume).filter((key) => key !== "name");
    for (const type of types) if (!ALLOWED_VOLUME_TYPES.has(type)) violations.push(`volume ${volume.name} has type ${type}`);
  }
  const podContext = spec.securityContext as Record<string, unknown>;
  if (Array.isArray(podContext.sysctls) && podContext.sysctls.length > 0) violations.push("pod sets sysctls");
  for (const container of spec.containers) {
    const context = container.securityContext as Record<string, unknown>;
    const capabilities = (context.capabilities ?? {}) as { drop?: string[]; add?: string[] };
    if (context.privileged === true) violations.push(`${container.name} is privileged`);
    if (context.allowPrivilegeEscalation !== false) violations.push(`${container.name} allows privilege escalation`);
    if (!capabilities.drop?.includes("ALL")) violations.push(`${container.name} does not drop ALL capabilities`);
    if ((capabilities.add ?? []).some((cap) => cap !== "NET_BIND_SERVICE")) violations.push(`${container.name} adds capabilities`);
    const runAsNonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
    if (runAsNonRoot !== true) violations.push(`${container.name} may run as root`);
    const uid = context.runAsUser ?? podContext.runAsUser;
    if (uid === 0) violations.push(`${container.name} runs as uid 0`);
    const seccomp = (context.seccompProfile ?? podContext.seccompProfile) as { type?: string } | undefined;
    if (seccomp?.type !== "RuntimeDefault" && seccomp?.type !== "Localhost") violations.push(`${container.name} has no seccomp profile`);
    if (context.procMount !== undefined && context.procMount !== "Default") violations.push(`${container.name} sets procMount`);
    const ports = ((container as unknown as Record<string, unknown>).ports ?? []) as { hostPort?: number }[];
    if (ports.some((port) => port.hostPort)) violations.push(`${container.name} uses a host port`);
  }
  return violations;
}
