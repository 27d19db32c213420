import { optionalField } from "../optional-field.ts";
import { normalizeAbsolutePath } from "../paths.ts";
import {
  DEFAULT_PROMPT_TEMPLATE,
  DEFAULT_RTK_MAX_OUTPUT_BYTES,
} from "./defaults.ts";
import {
  type IssueList,
  isAbsent,
  isPlainObject,
  parseJsonOrUndefined,
  readBoolean,
  readInteger,
  readString,
  readStringArray,
  readText,
} from "./read-values.ts";
import type { AdapterConfig } from "./types.ts";

type ClaudeKeys = Pick<
  AdapterConfig,
  | "model"
  | "effort"
  | "maxTurnsPerRun"
  | "dangerouslySkipPermissions"
  | "instructionsFilePath"
  | "extraArgs"
  | "promptTemplate"
  | "bootstrapPromptTemplate"
  | "cwd"
  | "mcpServers"
  | "enableRtk"
  | "rtkMaxOutputBytes"
>;

/** Flags the adapter itself sets; passing them again through extraArgs breaks the run's parsing. */
const FLAGS_WE_OWN = new Set(["-p", "--print", "--output-format", "--input-format", "--verbose", "--resume", "--settings"]);

/** More turns than any run takes; a bigger number is a typo, refused with this value named. */
const MAX_TURNS = 100_000;

export function parseClaudeKeys(raw: Record<string, unknown>, issues: IssueList): ClaudeKeys {
  const model = readToken(raw.model, "model", issues, '"claude-sonnet-4-6"');
  const effort = readToken(raw.effort, "effort", issues, '"high"');
  const extraArgs = readStringArray(raw.extraArgs, "extraArgs", issues, '["--include-partial-messages"]') ?? [];
  extraArgs.forEach((arg, index) => {
    if (arg.includes("\0")) issues.add(`extraArgs[${index}]`, "an argument without NUL characters (exec cannot pass them)", arg, '"--foo"');
  });
  for (const arg of extraArgs) {
    const flag = arg.split("=", 1)[0] ?? arg;
    if (FLAGS_WE_OWN.has(flag)) {
      issues.warn(`extraArgs contains ${flag}, which the adapter sets itself; the run's output may not parse`);
    }
  }
  return {
    ...(model === undefined ? {} : { model }),
    ...(effort === undefined ? {} : { effort }),
    maxTurnsPerRun: readInteger(raw.maxTurnsPerRun, "maxTurnsPerRun", issues, { min: 0, max: MAX_TURNS }, "200") ?? 0,
    dangerouslySkipPermissions: readBoolean(raw.dangerouslySkipPermissions, "dangerouslySkipPermissions", issues) ?? true,
    ...optionalField("instructionsFilePath", readServerPath(raw.instructionsFilePath, "instructionsFilePath", issues)),
    extraArgs,
    promptTemplate: readText(raw.promptTemplate, "promptTemplate", issues, JSON.stringify(DEFAULT_PROMPT_TEMPLATE)) ??
      DEFAULT_PROMPT_TEMPLATE,
    bootstrapPromptTemplate: readText(raw.bootstrapPromptTemplate, "bootstrapPromptTemplate", issues, '"Read ./README.md first."') ?? "",
    ...optionalField("cwd", readServerPath(raw.cwd, "cwd", issues)),
    ...optionalField("mcpServers", readMcpServers(raw.mcpServers, issues)),
    enableRtk: readBoolean(raw.enableRtk, "enableRtk", issues) ?? false,
    rtkMaxOutputBytes:
      readInteger(raw.rtkMaxOutputBytes, "rtkMaxOutputBytes", issues, { min: 1000, max: 10_000_000 }, "50000") ??
      DEFAULT_RTK_MAX_OUTPUT_BYTES,
  };
}


/** One CLI word: no whitespace or control characters (it becomes a single argv entry). */
function readToken(value: unknown, path: string, issues: IssueList, example: string): string | undefined {
  const text = readString(value, path, issues, example);
  if (text === undefined) return undefined;
  if (/[\s\u0000-\u001f\u007f]/.test(text)) return issues.add(path, "a single word without spaces", value, example);
  return text;
}

export function readServerPath(value: unknown, path: string, issues: IssueList): string | undefined {
  const text = readString(value, path, issues, '"/paperclip/agents/ceo/AGENTS.md"');
  if (text === undefined) return undefined;
  const normalized = normalizeAbsolutePath(text);
  if (normalized === undefined) return issues.add(path, "an absolute path", value, '"/paperclip/agents/ceo/AGENTS.md"');
  return normalized;
}

function readMcpServers(value: unknown, issues: IssueList): Record<string, Record<string, unknown>> | undefined {
  if (isAbsent(value)) return undefined;
  const example = '{"github": {"type": "http", "url": "https://api.githubcopilot.com/mcp/"}}';
  const candidate = typeof value === "string" ? parseJsonOrUndefined(value) : value;
  if (!isPlainObject(candidate)) return issues.add("mcpServers", "an object of MCP server specs by name", value, example);
  const servers: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(candidate)) {
    if (isPlainObject(spec)) servers[name] = spec;
    else issues.add(`mcpServers.${name}`, "an MCP server spec object", spec, example);
  }
  return servers;
}
