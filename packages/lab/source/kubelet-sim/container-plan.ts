import { ContainerConfigError, expandReferences } from "./env.ts";
import type { PresentImage } from "./image-catalog.ts";
import { parseQuantity } from "./quantity.ts";
import type { Container, Pod } from "./types.ts";

// What a runtime derives from a container spec and its image before it can start it:
// the argv (Docker's ENTRYPOINT/CMD rules), the user, the working directory, the memory
// limit. Pure; problems are errors with the runtime's wording.

export type ContainerPlan = {
  argv: string[];
  uid: number;
  gid: number;
  supplementalGroups: number[];
  workingDir: string;
  memoryLimitBytes?: number;
};

/** CreateContainerError: the runtime could not create the container (the pod stays Pending). */
export class CreateContainerError extends Error {
  override name = "CreateContainerError";
}

export function planContainer(
  pod: Pod,
  container: Container,
  image: Omit<PresentImage, "state">,
  env: Record<string, string>,
): ContainerPlan {
  // Kubernetes: `command` replaces ENTRYPOINT and drops CMD; `args` replaces CMD.
  const command = container.command ?? image.entrypoint ?? [];
  const args = container.args ?? (container.command ? [] : (image.cmd ?? []));
  const argv = [...command, ...args].map((part) => expandReferences(part, env));
  if (argv.length === 0) {
    throw new CreateContainerError(
      `failed to generate container "${container.name}" spec: no command specified ` +
        "(set the container's command, or give the image an entrypoint/cmd in the lab's image catalog)",
    );
  }
  const podContext = pod.spec.securityContext ?? {};
  const own = container.securityContext ?? {};
  const uid = own.runAsUser ?? podContext.runAsUser ?? 0;
  const gid = own.runAsGroup ?? podContext.runAsGroup ?? 0;
  if ((own.runAsNonRoot ?? podContext.runAsNonRoot) && uid === 0) {
    throw new ContainerConfigError(
      `container has runAsNonRoot and image will run as root (pod: "${pod.metadata.name}_${pod.metadata.namespace ?? "default"}(${pod.metadata.uid})", container: ${container.name})`,
    );
  }
  const supplementalGroups = [...(podContext.supplementalGroups ?? [])];
  if (podContext.fsGroup !== undefined) supplementalGroups.push(podContext.fsGroup);
  const memory = container.resources?.limits?.memory;
  return {
    argv,
    uid,
    gid,
    supplementalGroups,
    workingDir: container.workingDir || image.workingDir || "/",
    memoryLimitBytes: memory === undefined ? undefined : parseQuantity(memory),
  };
}
