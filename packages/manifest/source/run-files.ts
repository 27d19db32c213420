/**
 * Where the per-run Secret's files appear in the container, and their keys in the Secret.
 * A fixed path outside the shared volume: other agents on the volume cannot read or swap them.
 */
export const RUN_FILES_DIR = "/var/run/claude-k8s";
/** Skills are mounted read-only under `<dir>/.claude/skills/<name>` and reach claude by `--add-dir <dir>`. */
export const SKILLS_DIR = "/var/run/claude-k8s-skills";

export const RunFileKey = {
  prompt: "prompt.txt",
  mcpConfig: "mcp.json",
  settings: "settings.json",
  instructions: "agent-instructions.md",
} as const;

export function rtkHookFileName(format: "module" | "commonjs" = "module"): string {
  // The extension tells node how to load it: no package.json travels with the hook.
  return format === "commonjs" ? "claude-rtk-hook.cjs" : "claude-rtk-hook.mjs";
}

/** The per-run Secret's key for file `index` of a shipped skill. */
export function skillFileKey(runtimeName: string, index: number): string {
  return `skill.${runtimeName}.${index}`;
}

export function runFilePath(key: string): string {
  return `${RUN_FILES_DIR}/${key}`;
}
