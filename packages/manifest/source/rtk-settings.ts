/**
 * The Claude settings document that installs the tool-output hook for one run. It is passed
 * with `claude --settings <file>`, so the shared `~/.claude/settings.json` on the volume is
 * never rewritten (the public adapter's version leaked its hook into every later run and
 * clobbered other PostToolUse hooks). The same program is registered twice, as
 * @claude-k8s/rtk-hook's own `settings-json` does:
 * - PreToolUse for Bash: it rewrites the command so that its output is reduced inside the
 *   command, failing or not (a failing command fires PostToolUseFailure, whose output no hook
 *   can replace); exit status, cwd, env and the stdout/stderr split are kept, the full output
 *   is saved under the pod's temporary directory and named in the cut marker;
 * - PostToolUse for every tool: it answers with `updatedToolOutput`, the one PostToolUse
 *   output that really replaces what the model sees.
 * The rewrite carries no permissionDecision, so it grants nothing the run did not have.
 */
export function rtkSettingsDocument(hookFile: string, maxOutputBytes: number): string {
  const command = `node ${hookFile} --max-bytes ${maxOutputBytes}`;
  const group = (matcher: string) => ({ matcher, hooks: [{ type: "command", command }] });
  return `${JSON.stringify({ hooks: { PreToolUse: [group("Bash")], PostToolUse: [group("*")] } }, null, 2)}\n`;
}
