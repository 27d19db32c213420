import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { SkillFile } from "@claude-k8s/manifest";

/** Limits for skills shipped in the run's Secret (which holds at most 1 MiB in all). */
export const SKILL_BUNDLE_LIMITS = { maxFiles: 200, maxBytes: 256 * 1024 } as const;

/**
 * The files of a skill directory on this server, for shipping with the run when the pod
 * cannot see it on a shared volume. Text files only (a Secret carries strings here); symlinks
 * are not followed out of the skill. Returns why it cannot be shipped instead of throwing.
 */
export async function readSkillBundle(directory: string, limits: { maxFiles: number; maxBytes: number } = SKILL_BUNDLE_LIMITS): Promise<{ files: SkillFile[] } | { problem: string }> {
  const files: SkillFile[] = [];
  let bytes = 0;
  const walk = async (relative: string): Promise<string | undefined> => {
    const entries = await readdir(path.join(directory, relative), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        const problem = await walk(child);
        if (problem) return problem;
        continue;
      }
      if (!entry.isFile()) continue;
      if (files.length >= limits.maxFiles) return `more than ${limits.maxFiles} files`;
      const size = (await stat(path.join(directory, child))).size;
      bytes += size;
      if (bytes > limits.maxBytes) return `more than ${Math.round(limits.maxBytes / 1024)} KiB`;
      const content = await readFile(path.join(directory, child));
      if (content.includes(0)) return `${child} is not a text file`;
      files.push({ path: child, content: content.toString("utf8") });
    }
    return undefined;
  };
  try {
    const problem = await walk("");
    return problem ? { problem } : { files };
  } catch (error) {
    return { problem: `cannot be read here (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
}
