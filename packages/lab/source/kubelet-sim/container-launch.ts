import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type ContainerPlan, planContainer } from "./container-plan.ts";
import { type RunningContainer, startContainer } from "./container-process.ts";
import { type ObjectLookups, resolveEnv } from "./env.ts";
import type { NodeFacts } from "./field-ref.ts";
import type { PresentImage } from "./image-catalog.ts";
import type { MemoryCgroups } from "./memory-cgroup.ts";
import type { Container, Pod } from "./types.ts";
import { type PlannedMount, type PodPaths, planMounts, terminationLogHostPath } from "./volume-plan.ts";
import { wrapperScript } from "./wrapper-script.ts";

// From a container spec to a running container instance: what the kubelet asks the
// runtime to create (env, argv, user, mounts) and the start itself, with the files each
// instance gets under <pod dir>/containers/<name>/ (wrapper script, log, termination log).

export type PreparedContainer = { env: Record<string, string>; plan: ContainerPlan; mounts: PlannedMount[] };

/** Resolves everything a start needs; throws ContainerConfigError or CreateContainerError with the kubelet's wording. */
export async function prepareContainer(
  pod: Pod,
  spec: Container,
  image: Omit<PresentImage, "state">,
  context: { baseEnv: Record<string, string>; sources: ObjectLookups; node: NodeFacts; paths: PodPaths },
): Promise<PreparedContainer> {
  const base = { ...context.baseEnv, HOSTNAME: pod.spec.hostname ?? pod.metadata.name, ...image.env };
  const env = await resolveEnv(pod, spec, context.sources, context.node, base);
  return { env, plan: planContainer(pod, spec, image, env), mounts: planMounts(pod, spec, context.paths) };
}

export type LaunchedContainer = { running: RunningContainer; containerID: string; terminationLogPath: string };

/** Starts instance number `restartCount` of the container. */
export async function launchContainer(
  pod: Pod,
  spec: Container,
  prepared: PreparedContainer,
  restartCount: number,
  context: { paths: PodPaths; cgroups: MemoryCgroups | undefined },
): Promise<LaunchedContainer> {
  const instance = `${spec.name}-${restartCount}`;
  const containerDir = join(context.paths.podDir, "containers", spec.name);
  await mkdir(containerDir, { recursive: true });
  const terminationLogPath = terminationLogHostPath(context.paths, spec.name);
  await writeFile(terminationLogPath, "");
  await chmod(terminationLogPath, 0o666); // the container's user writes it
  const cgroup = await context.cgroups?.create(`${pod.metadata.uid}-${instance}`, prepared.plan.memoryLimitBytes);
  const script = wrapperScript({
    description: `pod ${pod.metadata.namespace}/${pod.metadata.name} (${pod.metadata.uid}) container ${spec.name}`,
    mounts: prepared.mounts,
    cgroupProcsPath: cgroup?.procsPath,
    workingDir: prepared.plan.workingDir,
    uid: prepared.plan.uid,
    gid: prepared.plan.gid,
    supplementalGroups: prepared.plan.supplementalGroups,
  });
  const running = await startContainer({
    script,
    scriptPath: join(containerDir, `wrapper-${restartCount}.sh`),
    argv: prepared.plan.argv,
    env: prepared.env,
    logPath: join(containerDir, `${restartCount}.log`),
    cgroup,
    memoryLimitBytes: prepared.plan.memoryLimitBytes,
  });
  return { running, containerID: `sim://${pod.metadata.uid}/${instance}`, terminationLogPath };
}
