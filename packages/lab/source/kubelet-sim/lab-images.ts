import type { ImageCatalog } from "./image-catalog.ts";

/**
 * The lab's default image catalog. Any image not listed runs its command on the host
 * (present); these names exist so tests can ask for the failures by name.
 */
export const labImages: ImageCatalog = {
  /** Never pulls: ErrImagePull, then ImagePullBackOff. */
  "lab.local/missing:1": { state: "missing" },
  "lab.local/missing:latest": { state: "missing" },
  /** Pulls in 3 s (ContainerCreating meanwhile), then runs like a present image. */
  "lab.local/slow:1": { state: "slow", pullDelayMs: 3_000 },
};
