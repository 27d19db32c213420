import { escapeKubeletExpansion } from "./env/kubelet-escape.ts";

/** Where the result tap (result-tap.ts) is mounted, and the termination message file it writes. */
export interface ResultTap {
  programFile: string;
  messagePath: string;
}

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
 * - With a result tap, `node TAP MESSAGE "$@"` is exec'd instead when node is on PATH: it
 *   keeps claude's stdout, stdin and exit status, and also writes the result event to the
 *   termination message (result-tap.ts).
 * - The kubelet expands `$(NAME)` in command and args; every `$` is doubled so it cannot.
 */
export function buildContainerCommand(argv: readonly string[], promptFile: string, tap?: ResultTap): ContainerCommand {
  if (argv.length === 0) throw new Error("buildContainerCommand needs at least the program name");
  plainPath("prompt file", promptFile);
  let script = `exec "$@" < '${promptFile}'`;
  if (tap !== undefined) {
    plainPath("result tap program", tap.programFile);
    plainPath("termination message", tap.messagePath);
    // With node on PATH, the tap runs claude and copies its result into the termination
    // message; an image without node (a native claude build) runs claude untapped.
    script = `if command -v node >/dev/null 2>&1; then exec node '${tap.programFile}' '${tap.messagePath}' "$@" < '${promptFile}'; fi; ${script}`;
  }
  return {
    command: ["/bin/sh", "-c", escapeKubeletExpansion(script), "sh"],
    args: argv.map(escapeKubeletExpansion),
  };
}

function plainPath(what: string, path: string): void {
  if (!/^\/[A-Za-z0-9._/-]+$/.test(path)) {
    throw new Error(`${what} path ${JSON.stringify(path)} must be absolute and plain (letters, digits, . _ - /)`);
  }
}
