import { escapeKubeletExpansion } from "./env/kubelet-escape.ts";

export interface ContainerCommand {
  command: string[];
  args: string[];
}

/**
 * The container's command: `/bin/sh -c 'exec "$@" < PROMPT' sh claude arg...`.
 *
 * - The exit status is claude's under any POSIX sh: `exec` replaces the shell, so there is no
 *   pipeline to hide it (Debian's dash has no `set -o pipefail`; the public adapter's
 *   `claude | tee` reported crashes as success).
 * - The arguments are positional parameters, never spliced into the script: no quoting to
 *   get wrong, whatever they contain.
 * - The prompt comes on stdin from the mounted file: never on the command line or in env.
 *   If the file is missing, the redirection fails and the shell exits non-zero without
 *   running claude.
 * - The kubelet expands `$(NAME)` in command and args; every `$` is doubled so it cannot.
 */
export function buildContainerCommand(argv: readonly string[], promptFile: string): ContainerCommand {
  if (argv.length === 0) throw new Error("buildContainerCommand needs at least the program name");
  if (!/^\/[A-Za-z0-9._/-]+$/.test(promptFile)) {
    throw new Error(`prompt file path ${JSON.stringify(promptFile)} must be absolute and plain (letters, digits, . _ - /)`);
  }
  return {
    command: ["/bin/sh", "-c", escapeKubeletExpansion(`exec "$@" < '${promptFile}'`), "sh"],
    args: argv.map(escapeKubeletExpansion),
  };
}
