/**
 * The Claude settings document that installs the tool-output hook for one run. It is passed
 * with `claude --settings <file>`, so the shared `~/.claude/settings.json` on the volume is
 * never rewritten (the public adapter's version leaked its hook into every later run and
 * clobbered other PostToolUse hooks). The hook answers with `updatedToolOutput`, the one
 * PostToolUse output that really replaces what the model sees.
 */
export function rtkSettingsDocument(hookFile: string, maxOutputBytes: number): string {
  const command = `node ${hookFile} --max-bytes ${maxOutputBytes}`;
  return `${JSON.stringify({ hooks: { PostToolUse: [{ matcher: "*", hooks: [{ type: "command", command }] }] } }, null, 2)}\n`;
}
