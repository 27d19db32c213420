// What the simulated node knows about images. There is no registry and no runtime here:
// a "present" image runs its command on the host filesystem, a "missing" one fails to pull
// (ErrImagePull, then ImagePullBackOff), a "slow" one pulls after a delay.

export type PresentImage = {
  state: "present";
  /** The image's ENTRYPOINT: used when a container gives no `command`. */
  entrypoint?: string[];
  /** The image's CMD: used when a container gives neither `command` nor `args`. */
  cmd?: string[];
  /** The image's ENV, under the container's own env. */
  env?: Record<string, string>;
  /** The image's WORKDIR, used when the container sets no workingDir. */
  workingDir?: string;
};
export type SlowImage = Omit<PresentImage, "state"> & { state: "slow"; pullDelayMs: number };
export type MissingImage = { state: "missing"; /** The registry's answer, quoted in ErrImagePull. */ message?: string };
export type ImageEntry = PresentImage | SlowImage | MissingImage;

/** Image reference (as written in the pod, or with `:latest` added) -> what pulling it does. */
export type ImageCatalog = Record<string, ImageEntry>;

export type ImageLookup =
  | { kind: "invalid"; reason: "InvalidImageName"; message: string }
  | { kind: "missing"; message: string }
  | { kind: "present"; pullDelayMs: number; image: Omit<PresentImage, "state"> };

// The grammar of github.com/distribution/reference, condensed: [domain/]path[:tag][@digest].
const domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const domain = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?`;
const pathComponent = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const tag = "[\\w][\\w.-]{0,127}";
const digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const referencePattern = new RegExp(
  `^((?:${domain}/)?${pathComponent}(?:/${pathComponent})*)(?::(${tag}))?(?:@(${digest}))?$`,
);
const maxNameLength = 255;

/** Why `reference` is not a valid image reference, or undefined when it is. */
export function invalidImageReason(reference: string): string | undefined {
  const match = referencePattern.exec(reference);
  if (!match) return "invalid reference format";
  if ((match[1] ?? "").length > maxNameLength) return `repository name must not be more than ${maxNameLength} characters`;
  return undefined;
}

/** Looks an image up in the catalog the way a kubelet would see the result of pulling it. */
export function lookupImage(catalog: ImageCatalog, reference: string | undefined): ImageLookup {
  const image = reference ?? "";
  const invalid = invalidImageReason(image);
  if (invalid) {
    // The kubelet's wording, so tools that match on it behave as on a real node.
    return {
      kind: "invalid",
      reason: "InvalidImageName",
      message: `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${invalid}`,
    };
  }
  const entry = catalog[image] ?? catalog[withDefaultTag(image)] ?? catalog[withoutDefaultTag(image)];
  if (!entry) return { kind: "present", pullDelayMs: 0, image: {} };
  if (entry.state === "missing") {
    const why = entry.message ?? `failed to resolve reference "${withDefaultTag(image)}": not found`;
    return { kind: "missing", message: `Failed to pull image "${image}": ${why}` };
  }
  const { state: _state, ...image_ } = entry;
  const pullDelayMs = entry.state === "slow" ? entry.pullDelayMs : 0;
  if ("pullDelayMs" in image_) delete (image_ as { pullDelayMs?: number }).pullDelayMs;
  return { kind: "present", pullDelayMs, image: image_ };
}

function hasTagOrDigest(reference: string): boolean {
  const lastSegment = reference.slice(reference.lastIndexOf("/") + 1);
  return lastSegment.includes(":") || reference.includes("@");
}

function withDefaultTag(reference: string): string {
  return hasTagOrDigest(reference) ? reference : `${reference}:latest`;
}

function withoutDefaultTag(reference: string): string {
  return reference.endsWith(":latest") ? reference.slice(0, -":latest".length) : reference;
}

/** Validates a catalog read from JSON (a lab config file), naming the bad entry and the fix. */
export function parseImageCatalog(value: unknown, source = "image catalog"): ImageCatalog {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${source}: expected an object mapping image references to {"state": "present"|"missing"|"slow", ...}`);
  }
  const catalog: ImageCatalog = {};
  for (const [reference, entry] of Object.entries(value)) {
    const where = `${source}: image "${reference}"`;
    if (typeof entry !== "object" || entry === null) throw new Error(`${where}: expected an object with a "state"`);
    const state = (entry as { state?: unknown }).state;
    if (state === "missing") {
      const message = (entry as { message?: unknown }).message;
      if (message !== undefined && typeof message !== "string") throw new Error(`${where}: "message" must be a string`);
      catalog[reference] = { state, message };
      continue;
    }
    if (state !== "present" && state !== "slow") {
      throw new Error(`${where}: "state" must be "present", "missing" or "slow", got ${JSON.stringify(state)}`);
    }
    const e = entry as Record<string, unknown>;
    for (const key of ["entrypoint", "cmd"] as const) {
      if (e[key] !== undefined && !(Array.isArray(e[key]) && (e[key] as unknown[]).every((s) => typeof s === "string"))) {
        throw new Error(`${where}: "${key}" must be an array of strings`);
      }
    }
    if (e.env !== undefined && (typeof e.env !== "object" || e.env === null || Object.values(e.env).some((v) => typeof v !== "string"))) {
      throw new Error(`${where}: "env" must map names to strings`);
    }
    if (e.workingDir !== undefined && typeof e.workingDir !== "string") throw new Error(`${where}: "workingDir" must be a string`);
    const image = {
      entrypoint: e.entrypoint as string[] | undefined,
      cmd: e.cmd as string[] | undefined,
      env: e.env as Record<string, string> | undefined,
      workingDir: e.workingDir as string | undefined,
    };
    if (state === "slow") {
      if (typeof e.pullDelayMs !== "number" || !(e.pullDelayMs >= 0)) {
        throw new Error(`${where}: a "slow" image needs "pullDelayMs", a number of milliseconds >= 0`);
      }
      catalog[reference] = { state, pullDelayMs: e.pullDelayMs, ...image };
    } else {
      catalog[reference] = { state, ...image };
    }
  }
  return catalog;
}
