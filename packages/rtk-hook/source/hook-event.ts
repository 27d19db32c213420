import { isObject } from "./is-object.ts";
import type { ReduceOptions } from "./options.ts";
import { reduceToolOutput } from "./reduce-tool-output.ts";
import { type Reduction, unchanged } from "./reduction.ts";
import { type WrapDecision, wrapCommand, wrapMarker } from "./wrap-command.ts";

// The hook's contract with Claude Code (2.1.330): stdin is one JSON event; to replace what
// the model gets, stdout is {"hookSpecificOutput": {"hookEventName": "PostToolUse",
// "updatedToolOutput": <same shape as tool_response>}}; empty stdout leaves it alone.

export type PostToolUseEvent = {
  hook_event_name: "PostToolUse";
  tool_name: string;
  tool_input?: unknown;
  tool_response: unknown;
  [key: string]: unknown;
};

export type PreToolUseEvent = {
  hook_event_name: "PreToolUse";
  tool_name: string;
  tool_input: unknown;
  [key: string]: unknown;
};

/** Parses a hook event; throws an Error that says what was wrong (the bin prints it on stderr). */
export function parseHookEvent(stdin: string): PostToolUseEvent | PreToolUseEvent | undefined {
  let event: unknown;
  try {
    event = JSON.parse(stdin);
  } catch (error) {
    throw new Error(`stdin is not JSON (${(error as Error).message}); expected a Claude Code hook event`);
  }
  if (!isObject(event)) throw new Error(`stdin is not a hook event object, got ${Array.isArray(event) ? "an array" : typeof event}`);
  if (event.hook_event_name === "PreToolUse") {
    if (typeof event.tool_name !== "string") throw new Error(`PreToolUse event without a string tool_name, got ${JSON.stringify(event.tool_name)}`);
    return event as PreToolUseEvent;
  }
  // Registered for another event by mistake: not ours to answer.
  if (event.hook_event_name !== "PostToolUse") return undefined;
  if (typeof event.tool_name !== "string") throw new Error(`PostToolUse event without a string tool_name, got ${JSON.stringify(event.tool_name)}`);
  if (!("tool_response" in event)) throw new Error(`PostToolUse event for ${event.tool_name} has no tool_response`);
  return event as PostToolUseEvent;
}

/** The path Claude Code saved a large output to, if the event names one. */
export function persistedOutputPath(event: PostToolUseEvent): string | undefined {
  const response = event.tool_response;
  return isObject(response) && typeof response.persistedOutputPath === "string" ? response.persistedOutputPath : undefined;
}

/** stdout for the hook: the JSON answer, or "" when nothing changes. */
export function hookAnswer(event: PostToolUseEvent, options: ReduceOptions = {}): { stdout: string; reduction: Reduction } {
  // A rewritten Bash command's output was reduced inside the command already, with its full
  // copy saved: cutting it again to --max-bytes would lose what that cut kept.
  const input = event.tool_input;
  if (event.tool_name === "Bash" && isObject(input) && typeof input.command === "string" && input.command.includes(wrapMarker)) return { stdout: "", reduction: unchanged };
  const reduction = reduceToolOutput(event.tool_name, event.tool_response, options);
  if (reduction.status === "unchanged") return { stdout: "", reduction };
  const answer = { hookSpecificOutput: { hookEventName: "PostToolUse", updatedToolOutput: reduction.output } };
  return { stdout: JSON.stringify(answer), reduction };
}

/**
 * stdout for the PreToolUse hook: a Bash command rewritten to run its output through
 * `reducer` (see wrap-command.ts), or "" when it is left alone. No permissionDecision: the
 * user's own permission rules and prompts still decide whether the command runs.
 */
export function preToolUseAnswer(event: PreToolUseEvent, reducer: string): { stdout: string; decision: WrapDecision | undefined } {
  const input = event.tool_input;
  if (event.tool_name !== "Bash" || !isObject(input) || typeof input.command !== "string") return { stdout: "", decision: undefined };
  const decision = wrapCommand(input.command, reducer, { runInBackground: input.run_in_background === true });
  if (decision.status !== "wrapped") return { stdout: "", decision };
  const answer = { hookSpecificOutput: { hookEventName: "PreToolUse", updatedInput: { ...input, command: decision.command } } };
  return { stdout: JSON.stringify(answer), decision };
}
