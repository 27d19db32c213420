// What a structured start-up refusal means for the run.
//
// Since CLI 2.1.337 a stream-json run that refuses to start writes one zeroed
// `error_during_execution` result with `startup_failure_reason` (and the message in `errors`)
// when the host sets CLAUDE_CODE_STARTUP_FAILURE_RESULTS, as our pods do. The reason is
// harness-authored and exact, so it decides before any text matching does.
import type { Outcome } from "./outcome.ts";

/** The managed setting that refuses --mcp-config, --plugin-dir, --plugin-url and --agents. */
export const SIDELOAD_SETTING = "disableSideloadFlags";

/**
 * The outcome for a result that carries `startup_failure_reason`, or undefined for a result
 * without one. `errors` is the result's `errors` (the CLI's own message).
 */
export function outcomeForStartupFailure(reason: string | null, errors: readonly string[]): Outcome | undefined {
  if (reason === null || reason === "") return undefined;
  const said = oneLine(errors.join("; "));
  const detail = said ? `: ${said}` : "";
  switch (reason) {
    case "resume_target_not_found":
      // The stored session is gone from this HOME (a new volume, a pruned transcript): the run
      // can only go on as a fresh session, which the adapter does once.
      return {
        code: "session_unavailable",
        clearSession: true,
        startupFailureReason: reason,
        message: `The session to resume is gone (startup_failure_reason resume_target_not_found)${detail}`,
      };
    case "sideload_flags_disabled":
      // A retry refuses the same way; only the operator can change this.
      return {
        code: "claude_error",
        startupFailureReason: reason,
        message:
          `Claude Code refused to start: the managed setting ${SIDELOAD_SETTING} in the agent image's managed settings ` +
          "(/etc/claude-code/managed-settings.json) forbids --mcp-config, --plugin-dir, --plugin-url and --agents, and this run passed one " +
          `(the agent's mcpServers become --mcp-config). Remove mcpServers from the agent config, or remove ${SIDELOAD_SETTING} from the image's managed settings` +
          detail,
      };
    default:
      return {
        code: "claude_error",
        startupFailureReason: reason,
        message: `Claude Code refused to start (startup_failure_reason ${reason})${detail}`,
      };
  }
}

function oneLine(text: string, max = 400): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
