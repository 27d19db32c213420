// The PreToolUse rewrite that brings failing commands within reach: a Bash command that exits
// non-zero fires PostToolUseFailure, whose output no hook can replace, so the reduction has
// to happen inside the command itself. The rewrite runs in Claude's own shell (not a child
// shell), so `cd`, `export`, `exit N`, heredocs and the exit status behave exactly as
// before: it sends the shell's stdout and stderr to files, and an EXIT trap puts the
// descriptors back and hands both files to `claude-rtk-hook reduce-output`, which prints
// the reduced streams. Small outputs are printed by the shell alone (no Node start-up).

export type WrapDecision = { status: "wrapped"; command: string } | { status: "passed-through"; reason: string };

/** Variable the rewrite uses; finding it in a command means it is already wrapped. */
export const wrapMarker = "claude_rtk_dir";

/** Outputs up to this many bytes (stdout + stderr) are printed by the shell as they are. */
export const shellFastPathBytes = 2048;

// Programs that need a terminal or keep running: redirecting their output gains nothing.
const interactive = new Set(["vi", "vim", "nvim", "nano", "emacs", "less", "more", "man", "top", "htop", "watch", "ssh", "tmux", "screen", "tail -f"]);

/** The command with quoted strings emptied, so `&` or `exec` inside quotes is not mistaken for syntax. */
function withoutQuotedText(command: string): string {
  return command.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/gs, "''");
}

function passThroughReason(command: string, runInBackground: boolean): string | undefined {
  if (runInBackground) return "run_in_background: its output is read while it runs";
  if (command.trim() === "") return "empty command";
  if (command.includes(wrapMarker) || command.includes("claude-rtk-hook")) return "already wrapped";
  const bare = withoutQuotedText(command);
  // A lone `&` (not &&, >&, &>, <&, |&): a background job would write to our file after we read it.
  if (/(?<![&>|<])&(?![&>])/.test(bare.replace(/[<>]&\d*-?|&>>?/g, ""))) return "starts a background job";
  // exec replaces the shell, and with it the trap that prints the output; a trap of its own would replace ours.
  if (/(?:^|[;&|(){}\n]|\bthen|\bdo|\belse)\s*(?:exec|trap)\b/.test(bare)) return "uses exec or trap";
  const first = bare.trim().split(/\s+/).slice(0, 2);
  if (interactive.has(first[0]!) || interactive.has(first.join(" "))) return "interactive";
  return undefined;
}

/**
 * The command rewritten so that its output goes through `reducer` (a shell command that runs
 * this package's bin, e.g. `node /path/claude-rtk-hook.cjs --max-bytes 5000`), or why it is
 * left alone. Pure: the hook bin supplies the reducer's path.
 */
export function wrapCommand(command: string, reducer: string, options: { runInBackground?: boolean } = {}): WrapDecision {
  const reason = passThroughReason(command, options.runInBackground === true);
  if (reason !== undefined) return { status: "passed-through", reason };
  const dir = `"$${wrapMarker}"`;
  const restore = "exec 1>&8 2>&9 8>&- 9>&-";
  // Every process here is paid by every command, so nothing on stderr (Claude gives one
  // stream, or the command wrote none) saves a `cat`. No `<` anywhere in the prologue: Claude
  // Code gives a command with an input redirection its stdin instead of /dev/null, and a
  // `read` then waits for ever (`wc -c <file` did that).
  const small = `[ "$(cat ${dir}/stdout ${dir}/stderr | wc -c)" -le ${shellFastPathBytes} ]`;
  const printRaw = `cat ${dir}/stdout; if [ -s ${dir}/stderr ]; then cat ${dir}/stderr >&2; fi; rm -rf ${dir}`;
  // The reducer removes the directory once it has printed; if it could not (no node, a
  // crash), the shell prints the output as it is: a command's output is never lost.
  const reduce = `${reducer} reduce-output ${dir} || if [ -d ${dir} ]; then ${printRaw}; fi`;
  const trap = `${restore}; if ${small}; then ${printRaw}; else ${reduce}; fi`;
  // mktemp failing leaves the command to run unwrapped rather than not at all.
  // Claude Code reads stdout and stderr as one stream (the same file): then so do we, which
  // keeps their interleaving; given two, we keep two.
  const capture = `if [ /dev/fd/1 -ef /dev/fd/2 ]; then exec 8>&1 9>&2 1>${dir}/stdout 2>&1; else exec 8>&1 9>&2 1>${dir}/stdout 2>${dir}/stderr; fi`;
  const setup = `if ${wrapMarker}=$(mktemp -d "\${TMPDIR:-/tmp}/claude-rtk-XXXXXX" 2>/dev/null); then : >${dir}/stderr; trap ${singleQuote(trap)} EXIT; ${capture}; fi`;
  return { status: "wrapped", command: `${setup}\n${command}` };
}

const singleQuote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
