import type { AdapterConfig } from "./config/types.ts";
import { ManifestError, ManifestErrorCode } from "./errors.ts";
import { dirname, type PathTranslator } from "./paths.ts";
import { type AssembledPrompt, assemblePrompt } from "./prompt.ts";
import type { RtkHookProgram, RunContext } from "./run-context.ts";
import { RunFileKey, rtkHookFileName, runFilePath } from "./run-files.ts";
import { RESULT_TAP_FILE, RESULT_TAP_PROGRAM } from "./result-tap.ts";
import { rtkSettingsDocument } from "./rtk-settings.ts";

export interface RunFilesInput {
  config: AdapterConfig;
  run: RunContext;
  resumeSessionId: string | undefined;
  instructions: { text: string } | undefined;
  rtkHook: RtkHookProgram | undefined;
  paths: PathTranslator;
}

export interface RunFiles {
  /** Secret key -> file content. */
  entries: Record<string, string>;
  prompt: AssembledPrompt;
  /** Pod paths claude is pointed at. */
  appendSystemPromptFile?: string;
  mcpConfigFile?: string;
  settingsFile?: string;
}

/**
 * The files the run's Secret carries into the pod: the prompt and the result tap (always), the agent
 * instructions (fresh sessions, when the runtime read them), the MCP config (it embeds bearer
 * tokens, so never a plain file on the volume), and the enableRtk hook with its settings.
 */
export function planRunFiles(input: RunFilesInput): RunFiles {
  const { config } = input;
  const prompt = assemblePrompt({ config, run: input.run });
  // The result tap always travels: it is what brings claude's result to the pod status when the log loses it.
  const files: RunFiles = { entries: { [RunFileKey.prompt]: prompt.prompt, [RESULT_TAP_FILE]: RESULT_TAP_PROGRAM }, prompt };

  // A resumed session already holds its system prompt; sending it again only costs tokens.
  if (config.instructionsFilePath !== undefined && input.resumeSessionId === undefined) {
    if (input.instructions !== undefined) {
      const podPath = input.paths.lenient("instructions directory", config.instructionsFilePath);
      files.entries[RunFileKey.instructions] = instructionsWithDirective(input.instructions.text, podPath);
      files.appendSystemPromptFile = runFilePath(RunFileKey.instructions);
    } else {
      files.appendSystemPromptFile = input.paths.strict("instructionsFilePath", config.instructionsFilePath).podPath;
    }
  }

  if (config.mcpServers !== undefined && Object.keys(config.mcpServers).length > 0) {
    files.entries[RunFileKey.mcpConfig] = `${JSON.stringify({ mcpServers: config.mcpServers }, null, 2)}\n`;
    files.mcpConfigFile = runFilePath(RunFileKey.mcpConfig);
  }

  if (config.enableRtk) {
    if (input.rtkHook === undefined || input.rtkHook.program.trim() === "") {
      throw new ManifestError(
        ManifestErrorCode.runContextInvalid,
        "enableRtk is on but no hook program was supplied: the runtime must pass rtkHook.program (the text of @claude-k8s/rtk-hook's built claude-rtk-hook bin)",
      );
    }
    const hookKey = rtkHookFileName(input.rtkHook.format);
    files.entries[hookKey] = input.rtkHook.program;
    files.entries[RunFileKey.settings] = rtkSettingsDocument(runFilePath(hookKey), config.rtkMaxOutputBytes);
    files.settingsFile = runFilePath(RunFileKey.settings);
  }
  return files;
}

/** The public adapter's note, so `./SOUL.md`-style references resolve next to the original file. */
function instructionsWithDirective(text: string, podPath: string | undefined): string {
  if (podPath === undefined) return text;
  return `${text.replace(/\s+$/, "")}\n\nThe above agent instructions were loaded from ${podPath}. Resolve any relative file references from ${dirname(podPath)}/.\n`;
}
