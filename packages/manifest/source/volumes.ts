import { ManifestError, ManifestErrorCode } from "./errors.ts";
import type { Volume, VolumeMount } from "./job.ts";
import { joinPath, normalizeAbsolutePath, pathsOverlap, translateServerPath, type VolumeRoots } from "./paths.ts";
import { checkMount, type MountOwner } from "./policy/mount-exposure.ts";
import type { InheritedSecretVolume, RunSkill } from "./run-context.ts";
import { RUN_FILES_DIR, SKILLS_DIR, skillFileKey } from "./run-files.ts";

export const RUN_VOLUME = "run";
export const DATA_VOLUME = "data";

export interface VolumePlan {
  volumes: Volume[];
  mounts: VolumeMount[];
  warnings: string[];
}

export interface VolumePlanInput {
  secretName: string;
  /** Keys of the per-run Secret that are files (env credentials are not mounted). */
  fileKeys: string[];
  claim: string | undefined;
  /** Without a shared claim: the agent's own claim, mounted whole at workspaceMountPath (it holds nothing else). */
  agentVolumeClaim?: string;
  roots: VolumeRoots | undefined;
  workspaceMountPath: string;
  /**
   * With a claim: the directories of the volume this run may see, relative to its root (the
   * agent's HOME, and its workspace when it has one). Each is mounted by subPath at its
   * translated pod path; the volume's root never is.
   */
  ownDirectories: readonly { what: string; relative: string }[];
  owner: MountOwner;
  skills: readonly RunSkill[];
  inheritedSecretVolumes: readonly InheritedSecretVolume[];
  crossNamespace: boolean;
}

const SKILL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A relative path without `..`, empty or dot segments: what a Secret volume item accepts. */
function checkedSkillFilePath(skill: string, path: string): string {
  const segments = path.split("/");
  if (path === "" || path.startsWith("/") || segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
    throw new ManifestError(ManifestErrorCode.runContextInvalid, `file ${JSON.stringify(path)} of skill ${skill} must be a relative path inside the skill (no "..", no leading "/")`);
  }
  return path;
}

/** A directory inside another one (or the same one twice) is already visible through it: mount the outer one once. */
function withoutNested<T extends { relative: string }>(directories: readonly T[]): T[] {
  const inside = (path: string, parent: string) => path.startsWith(`${parent}/`);
  return directories.filter(
    (directory, index) =>
      !directories.some((other) => inside(directory.relative, other.relative)) &&
      directories.findIndex((other) => other.relative === directory.relative) === index,
  );
}

export function planVolumes(input: VolumePlanInput): VolumePlan {
  const warnings: string[] = [];
  const volumes: Volume[] = [
    {
      name: RUN_VOLUME,
      secret: {
        secretName: input.secretName,
        items: input.fileKeys.map((key) => ({ key, path: key })),
        // Readable by the pod's non-root uid without an fsGroup (the files are root-owned).
        defaultMode: 0o444,
      },
    },
    input.claim !== undefined
      ? { name: DATA_VOLUME, persistentVolumeClaim: { claimName: input.claim } }
      : input.agentVolumeClaim !== undefined
        ? { name: DATA_VOLUME, persistentVolumeClaim: { claimName: input.agentVolumeClaim } }
        : { name: DATA_VOLUME, emptyDir: {} },
  ];
  const mounts: VolumeMount[] = [{ name: RUN_VOLUME, mountPath: RUN_FILES_DIR, readOnly: true }];
  if (input.claim === undefined || input.roots === undefined) {
    mounts.push({ name: DATA_VOLUME, mountPath: input.workspaceMountPath });
  } else {
    for (const directory of withoutNested(input.ownDirectories)) {
      checkMount(directory.what, joinPath(input.roots.server, directory.relative), directory.relative, input.owner, true);
      mounts.push({ name: DATA_VOLUME, mountPath: joinPath(input.roots.pod, directory.relative), subPath: directory.relative });
    }
  }
  if (input.claim === undefined && input.agentVolumeClaim === undefined) {
    warnings.push(
      `no shared volume: ${input.workspaceMountPath} is an emptyDir, so sessions and workspace changes end with the pod (set workspaceVolumeClaim)`,
    );
  }

  const seen = new Set<string>();
  for (const skill of input.skills) {
    if (!SKILL_NAME.test(skill.runtimeName) || seen.has(skill.runtimeName)) {
      throw new ManifestError(
        ManifestErrorCode.runContextInvalid,
        `skill runtimeName ${JSON.stringify(skill.runtimeName)} must be a unique directory name (letters, digits, . _ -)`,
      );
    }
    seen.add(skill.runtimeName);
    const mountPath = `${SKILLS_DIR}/.claude/skills/${skill.runtimeName}`;
    if (skill.files !== undefined) {
      // Shipped with the run: its own view of the run's Secret, the files at their paths.
      const name = `skill-${seen.size}`;
      volumes.push({
        name,
        secret: {
          secretName: input.secretName,
          items: skill.files.map((file, index) => ({ key: skillFileKey(skill.runtimeName, index), path: checkedSkillFilePath(skill.runtimeName, file.path) })),
          defaultMode: 0o444,
        },
      });
      mounts.push({ name, mountPath, readOnly: true });
      continue;
    }
    if (skill.sourcePath === undefined) {
      throw new ManifestError(ManifestErrorCode.runContextInvalid, `skill ${skill.runtimeName} has neither a sourcePath on the shared volume nor files to ship`);
    }
    const { relative } = translateServerPath(`skill ${skill.runtimeName}`, skill.sourcePath, input.roots);
    checkMount(`skill ${skill.runtimeName}`, skill.sourcePath, relative, input.owner, false);
    mounts.push({
      name: DATA_VOLUME,
      mountPath,
      readOnly: true,
      ...(relative === "" ? {} : { subPath: relative }),
    });
  }

  // Mount paths taken so far: two mounts on one path are rejected by the API server, and a
  // mount inside another would shadow or be shadowed.
  const taken = [RUN_FILES_DIR, SKILLS_DIR, input.workspaceMountPath];
  input.inheritedSecretVolumes.forEach((source, index) => {
    const mountPath = normalizeAbsolutePath(source.mountPath);
    if (input.crossNamespace) {
      warnings.push(`Secret volume ${source.secretName} was not inherited: it lives in the server's namespace, not the Job's`);
      return;
    }
    if (mountPath === undefined || taken.some((path) => pathsOverlap(path, mountPath))) {
      warnings.push(`Secret volume ${source.secretName} was not inherited: its mount path ${source.mountPath} collides with another mount`);
      return;
    }
    taken.push(mountPath);
    const name = `inherited-${index}`;
    volumes.push({
      name,
      secret: {
        secretName: source.secretName,
        // Keep the source's selection and optionality: widening either hands agents more than the server has.
        ...(source.items === undefined ? {} : { items: source.items }),
        ...(source.defaultMode === undefined ? {} : { defaultMode: source.defaultMode }),
        ...(source.optional === undefined ? {} : { optional: source.optional }),
      },
    });
    mounts.push({ name, mountPath, readOnly: true });
  });
  return { volumes, mounts, warnings };
}

