import type { AdapterConfig } from "./config/types.ts";

export interface ClaudeArgvInput {
  config: Pick<AdapterConfig, "model" | "effort" | "maxTurnsPerRun" | "dangerouslySkipPermissions" | "extraArgs">;
  resumeSessionId?: string;
  /** Pod path of the agent instructions (not passed when resuming: the session has them). */
  appendSystemPromptFile?: string;
  /** Pod path of the directory whose `.claude/skills` holds this run's skills. */
  addDir?: string;
  mcpConfigFile?: string;
  settingsFile?: string;
}

/**
 * claude's argv, program name first. The prompt is not here: it arrives on stdin. Same flags
 * and order as the public adapter; `extraArgs` last so they can refine anything before them.
 */
export function buildClaudeArgv(input: ClaudeArgvInput): string[] {
  const { config } = input;
  const argv = ["claude", "--print"];
  // --add-dir and --mcp-config take several values: each must be followed by a flag, or it
  // would swallow whatever comes next (an extraArgs value, say) as another directory.
  if (input.addDir !== undefined) argv.push("--add-dir", input.addDir);
  argv.push("--output-format", "stream-json", "--verbose");
  if (input.resumeSessionId !== undefined) argv.push("--resume", input.resumeSessionId);
  if (config.dangerouslySkipPermissions) argv.push("--dangerously-skip-permissions");
  if (config.model !== undefined) argv.push("--model", config.model);
  if (config.effort !== undefined) argv.push("--effort", config.effort);
  if (config.maxTurnsPerRun > 0) argv.push("--max-turns", String(config.maxTurnsPerRun));
  if (input.appendSystemPromptFile !== undefined && input.resumeSessionId === undefined) {
    argv.push("--append-system-prompt-file", input.appendSystemPromptFile);
  }
  if (input.mcpConfigFile !== undefined) argv.push("--mcp-config", input.mcpConfigFile, "--strict-mcp-config");
  if (input.settingsFile !== undefined) argv.push("--settings", input.settingsFile);
  argv.push(...config.extraArgs);
  return argv;
}
