import { DEFAULT_GID, DEFAULT_UID } from "./defaults.ts";
import { type IssueList, readInteger } from "./read-values.ts";
import type { AdapterConfig } from "./types.ts";

const MAX_ID = 2_147_483_647;

/** uid/gid/fsGroup. uid 0 is refused: the restricted Pod Security profile requires non-root. */
export function parseSecurityKeys(
  raw: Record<string, unknown>,
  issues: IssueList,
): Pick<AdapterConfig, "runAsUser" | "runAsGroup" | "fsGroup"> {
  const fsGroup = readInteger(raw.fsGroup, "fsGroup", issues, { min: 0, max: MAX_ID }, "1000");
  return {
    runAsUser: readInteger(raw.runAsUser, "runAsUser", issues, { min: 1, max: MAX_ID }, "1000") ?? DEFAULT_UID,
    runAsGroup: readInteger(raw.runAsGroup, "runAsGroup", issues, { min: 0, max: MAX_ID }, "1000") ?? DEFAULT_GID,
    ...(fsGroup === undefined ? {} : { fsGroup }),
  };
}
