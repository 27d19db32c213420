import { ManifestError, ManifestErrorCode } from "./errors.ts";

/**
 * Normalises an absolute POSIX path (`.`/`..` resolved, duplicate and trailing slashes
 * removed). Returns undefined for relative paths and paths with NUL: neither can name a file.
 */
export function normalizeAbsolutePath(path: string): string | undefined {
  if (!path.startsWith("/") || path.includes("\0")) return undefined;
  const parts: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") parts.pop();
    else parts.push(segment);
  }
  return `/${parts.join("/")}`;
}

/** The two names of the one shared volume: where the server sees it, where the pod sees it. */
export interface VolumeRoots {
  /** Mount path of the shared volume in the Paperclip server (normalised, absolute). */
  server: string;
  /** Mount path of the same volume in the agent pod (normalised, absolute). */
  pod: string;
}

/** Where a server path lives inside the shared volume; `relative` is "" for the root itself. */
export interface TranslatedPath {
  podPath: string;
  /** Path relative to the volume root, usable as a volumeMount `subPath`. */
  relative: string;
}

/**
 * Translates a path Paperclip handed over (a path on the server) into the path of the same
 * file in the agent pod. Paperclip's paths only mean something to the pod when they lie on
 * the shared volume, so anything else is an error that names the fix.
 */
export function translateServerPath(what: string, serverPath: string, roots: VolumeRoots | undefined): TranslatedPath {
  const normalized = normalizeAbsolutePath(serverPath);
  if (normalized === undefined) {
    throw new ManifestError(
      ManifestErrorCode.pathOutsideVolume,
      `${what} ${JSON.stringify(serverPath)} is not an absolute path; Paperclip must hand over absolute server paths`,
    );
  }
  if (roots === undefined) {
    throw new ManifestError(
      ManifestErrorCode.pathOutsideVolume,
      `${what} ${JSON.stringify(serverPath)} cannot reach the agent pod: no shared volume is configured. ` +
        "Set workspaceVolumeClaim to the RWX claim mounted in the Paperclip server (or run the server in a pod that mounts one).",
    );
  }
  const relative = relativeInside(roots.server, normalized);
  if (relative === undefined) {
    throw new ManifestError(
      ManifestErrorCode.pathOutsideVolume,
      `${what} ${JSON.stringify(serverPath)} lies outside the shared volume, which the server mounts at ${roots.server}; ` +
        "move it onto the shared volume, or set serverMountPath to where the server really mounts the volume.",
    );
  }
  return { podPath: relative === "" ? roots.pod : joinPath(roots.pod, relative), relative };
}

function relativeInside(root: string, path: string): string | undefined {
  if (path === root) return "";
  const prefix = root === "/" ? "/" : `${root}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
}

export function joinPath(base: string, relative: string): string {
  return base === "/" ? `/${relative}` : `${base}/${relative}`;
}

/** Whether one (normalised) path is the other or lies inside it. */
export function pathsOverlap(a: string, b: string): boolean {
  return a === b || b.startsWith(joinPath(a, "")) || a.startsWith(joinPath(b, ""));
}

export function dirname(path: string): string {
  const index = path.lastIndexOf("/");
  return index <= 0 ? "/" : path.slice(0, index);
}

/** Translates server paths for one run: strictly (an error) or leniently (a warning, then left out). */
export interface PathTranslator {
  strict(what: string, serverPath: string): TranslatedPath;
  lenient(what: string, serverPath: string | undefined): string | undefined;
}

export function pathTranslator(roots: VolumeRoots | undefined, warnings: string[]): PathTranslator {
  return {
    strict: (what, serverPath) => translateServerPath(what, serverPath, roots),
    lenient: (what, serverPath) => {
      if (serverPath === undefined) return undefined;
      try {
        return translateServerPath(what, serverPath, roots).podPath;
      } catch (error) {
        warnings.push(`${what} left out: ${(error as Error).message}`);
        return undefined;
      }
    },
  };
}
