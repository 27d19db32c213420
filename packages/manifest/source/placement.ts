import type { AdapterConfig } from "./config/types.ts";
import { type ConfigIssue, configError } from "./errors.ts";
import { isDns1123Label } from "./k8s-formats.ts";
import { normalizeAbsolutePath, type VolumeRoots } from "./paths.ts";
import type { SelfPodInfo } from "./run-context.ts";

/** Where the run goes and what it mounts: config first, then what the server pod told us. */
export interface Placement {
  namespace: string;
  image: string;
  /** The Job runs in another namespace than the server (its Secret references do not resolve there). */
  crossNamespace: boolean;
  claim: string | undefined;
  roots: VolumeRoots | undefined;
}

export function resolvePlacement(config: AdapterConfig, selfPod: SelfPodInfo): Placement {
  const namespace = config.namespace ?? selfPod.namespace;
  const image = config.image ?? selfPod.image;
  const missing: ConfigIssue[] = [];
  if (namespace === undefined || !isDns1123Label(namespace)) {
    missing.push({
      path: "namespace",
      expected: "the namespace for agent Jobs (the server is not in a pod to default it from)",
      received: namespace === undefined ? "nothing" : JSON.stringify(namespace),
      example: '"paperclip-agents"',
    });
  }
  if (image === undefined || image.trim() === "") {
    missing.push({
      path: "image",
      expected: "the agent image (the server is not in a pod to default it from)",
      received: "nothing",
      example: '"ghcr.io/acme/paperclip-agent:1.4.2"',
    });
  }
  if (missing.length > 0 || namespace === undefined || image === undefined) throw configError(missing);
  const claim = config.workspaceVolumeClaim ?? selfPod.dataVolumeClaim;
  return {
    namespace,
    image,
    crossNamespace: selfPod.namespace !== undefined && selfPod.namespace !== namespace,
    claim,
    roots: volumeRoots(config, selfPod, claim),
  };
}

function volumeRoots(config: AdapterConfig, selfPod: SelfPodInfo, claim: string | undefined): VolumeRoots | undefined {
  if (claim === undefined) return undefined;
  // The server pod's mount path only describes the claim it mounts.
  const learned =
    claim === selfPod.dataVolumeClaim && selfPod.dataMountPath !== undefined
      ? normalizeAbsolutePath(selfPod.dataMountPath)
      : undefined;
  return { server: config.serverMountPath ?? learned ?? config.workspaceMountPath, pod: config.workspaceMountPath };
}
