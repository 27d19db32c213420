import type { ContainerCommand } from "../container-command.ts";
import { escapeKubeletExpansion } from "../env/kubelet-escape.ts";

/**
 * On an agent's own volume the directories the run needs may not exist yet (a new volume), and
 * a working directory the container runtime creates would be root's, which the pod's non-root
 * user could not write. So the container starts at the volume's root, makes HOME and its
 * working directory as its own user, enters the working directory, then runs claude exactly
 * as `buildContainerCommand` does (exec, prompt on stdin, arguments as positional parameters).
 */
export function withPreparedDirectories(command: ContainerCommand, home: string, workingDir: string): ContainerCommand {
  const [shell, flag, script, name] = command.command;
  if (shell !== "/bin/sh" || flag !== "-c" || script === undefined || name === undefined) {
    throw new Error("withPreparedDirectories wraps a command made by buildContainerCommand");
  }
  return {
    command: [shell, flag, `mkdir -p -- "$1" "$2" && cd -- "$2" && shift 2 && ${script}`, name],
    args: [escapeKubeletExpansion(home), escapeKubeletExpansion(workingDir), ...command.args],
  };
}
