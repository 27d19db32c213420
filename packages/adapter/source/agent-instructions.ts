import { readFile, realpath } from "node:fs/promises";
import { type AdapterConfig, INSTRUCTIONS_POLICY_VARIABLE, isAllowedInstructionsPath, ManifestError, ManifestErrorCode, normalizeAbsolutePath, type OperatorPolicy } from "@claude-k8s/manifest";

export interface InstructionsOwner {
  agentId: string;
  companyId: string;
  /** The run's workspace cwd on the server, when Paperclip gave one. */
  workspaceCwd: string | undefined;
}

/**
 * The instructions file's text, read on the server so that it travels with the run. Agent
 * config names the path, so the server reads it only inside the run's workspace, the agent's
 * managed instructions directory or a directory the operator allowed, checked again after
 * symlinks are resolved (a link in the workspace must not reach the server's secrets). A file
 * that cannot be read is named in the run log; its content never is.
 */
export async function readAgentInstructions(config: AdapterConfig, policy: OperatorPolicy, owner: InstructionsOwner, log: (line: string) => void): Promise<{ text: string } | undefined> {
  const path = config.instructionsFilePath;
  if (!path) return undefined;
  const scope = {
    agentId: owner.agentId,
    companyId: owner.companyId,
    ...(owner.workspaceCwd === undefined ? {} : { workspaceCwd: normalizeAbsolutePath(owner.workspaceCwd) ?? owner.workspaceCwd }),
    operatorDirs: policy.allow.instructionsFilePath ?? [],
  };
  const allowed = (candidate: string) => policy.trustsConfig || isAllowedInstructionsPath(candidate, scope);
  if (!allowed(path)) throw refused();
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    log(`instructions file ${path} is not readable here (${(error as NodeJS.ErrnoException).code ?? "unreadable"}); the pod reads it from its workspace if it is there`);
    return undefined;
  }
  if (!allowed(real)) throw refused();
  try {
    return { text: await readFile(real, "utf8") };
  } catch (error) {
    log(`instructions file ${path} is not readable here (${(error as NodeJS.ErrnoException).code ?? "unreadable"}); the pod reads it from its workspace if it is there`);
    return undefined;
  }
}

function refused(): ManifestError {
  return new ManifestError(
    ManifestErrorCode.configForbidden,
    "instructionsFilePath: a file path on the server outside the run's workspace and the agent's managed instructions directory; " +
      `the server reads instructions only there, or in a directory an operator allows with ${INSTRUCTIONS_POLICY_VARIABLE} in the Paperclip server's environment`,
  );
}
