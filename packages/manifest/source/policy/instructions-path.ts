import { GOVERNED_KEYS } from "./operator-policy.ts";
import { matchesAny } from "./patterns.ts";

export interface InstructionsScope {
  /** The run's workspace cwd, as a server path (normalised), when Paperclip gave one. */
  workspaceCwd?: string;
  agentId: string;
  companyId: string;
  /** Directories (or patterns) the operator added with CLAUDE_K8S_ALLOW_INSTRUCTIONS_DIR. */
  operatorDirs?: readonly string[];
}

const inside = (path: string, directory: string) => path.startsWith(directory.endsWith("/") ? directory : `${directory}/`);

/**
 * Whether the server may read `path` (normalised, symlinks already resolved by the caller) as
 * the agent's instructions file: inside the run's own workspace, inside Paperclip's managed
 * instructions directory of this agent (`<instance>/companies/<company>/agents/<agent>/instructions/`),
 * or inside a directory the operator allowed. Anything else (the server's ServiceAccount
 * token, `/proc/self/environ`, another agent's files) is refused.
 */
export function isAllowedInstructionsPath(path: string, scope: InstructionsScope): boolean {
  if (scope.workspaceCwd !== undefined && inside(path, scope.workspaceCwd)) return true;
  const managed = `/companies/${scope.companyId}/agents/${scope.agentId}/instructions/`;
  const at = path.indexOf(managed);
  if (at !== -1 && /\/instances\/[^/]+$/.test(path.slice(0, at)) && !path.slice(at + managed.length).includes("/..")) return true;
  return (scope.operatorDirs ?? []).some((directory) => (directory.includes("*") ? matchesAny([directory], path) : inside(path, directory)));
}

export const INSTRUCTIONS_POLICY_VARIABLE = GOVERNED_KEYS.instructionsFilePath.variable;
