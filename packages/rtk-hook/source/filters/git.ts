import type { CommandFilter } from "./command-filters.ts";

// git: the hints of `git status` and the blob ids of diffs (`index 1a2b..3c4d 100644`) say
// nothing a reader acts on.

const hint = /^\s+\(use "git [^"]+"[^)]*\)$|^\s+\(commit or discard the untracked or modified content in submodules\)$/;
const blobIndex = /^index [0-9a-f]{7,}\.\.[0-9a-f]{7,}(?: \d{6})?$/;
const gitShape = /^(?:On branch |HEAD detached |Changes (?:not staged|to be committed)|Untracked files:|diff --git |commit [0-9a-f]{40}$)/;

export const gitFilter: CommandFilter = {
  name: "git",
  detect: (lines) => lines.some((line) => gitShape.test(line)),
  apply: (lines) => lines.map((line) => (hint.test(line) || blobIndex.test(line) ? null : undefined)),
  note: (dropped) => `[rtk-hook: ${dropped} git hint and blob-id lines not shown]`,
};
