import type { ImagePullPolicy, ResourceRequirements } from "../config/types.ts";
import { escapeKubeletExpansion } from "../env/kubelet-escape.ts";
import type { ContainerSpec, VolumeMount } from "../job.ts";
import type { containerSecurityContext } from "../security-context.ts";
import { TERMINATION_MESSAGE_PATH } from "../result-tap.ts";

/** The init container that makes HOME and the working directory on the agent's own volume. */
export const VOLUME_SETUP_CONTAINER = "volume-setup";

export interface VolumeSetupInput {
  image: string;
  imagePullPolicy: ImagePullPolicy;
  /** Directories to make (HOME, the working directory unless a checkout makes it). */
  directories: readonly string[];
  volumeMount: VolumeMount;
  resources: ResourceRequirements;
  securityContext: ReturnType<typeof containerSecurityContext>;
}

/**
 * On an agent's own volume the directories a run needs may not exist yet (a new volume), and a
 * working directory the container runtime creates would be root's, which the pod's non-root user
 * could not write. So an init container of the run's image and user makes them first; the
 * main container keeps the plain command of `buildContainerCommand`. Paths are positional
 * parameters, never spliced into the script.
 */
export function buildVolumeSetupContainer(input: VolumeSetupInput): ContainerSpec {
  return {
    name: VOLUME_SETUP_CONTAINER,
    image: input.image,
    imagePullPolicy: input.imagePullPolicy,
    command: ["/bin/sh", "-c", escapeKubeletExpansion('mkdir -p -- "$@"'), "sh"],
    args: input.directories.map(escapeKubeletExpansion),
    workingDir: input.volumeMount.mountPath,
    env: [],
    resources: input.resources,
    volumeMounts: [input.volumeMount],
    securityContext: input.securityContext,
    terminationMessagePath: TERMINATION_MESSAGE_PATH,
    terminationMessagePolicy: "FallbackToLogsOnError",
  };
}
