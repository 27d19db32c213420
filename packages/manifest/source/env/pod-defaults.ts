/**
 * The agent container's default environment: the lowest layer, which the run context, the
 * inherited env and `config.env` may each replace.
 *
 * CLAUDE_CODE_STARTUP_FAILURE_RESULTS=1 makes Claude Code (2.1.337 and later) end a refused
 * start with one `result` event carrying `startup_failure_reason` instead of stderr alone; the
 * adapter reads it to tell a vanished session (retried once as a fresh one) from a managed
 * setting that forbids the run's flags. Older CLIs ignore it.
 */
export function podEnvDefaults(home: string): Map<string, string> {
  return new Map([
    ["HOME", home],
    ["CLAUDE_CODE_STARTUP_FAILURE_RESULTS", "1"],
  ]);
}
