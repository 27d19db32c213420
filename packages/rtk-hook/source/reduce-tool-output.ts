import { reduceBashOutput } from "./bash-output.ts";
import { reduceGenericOutput } from "./content-blocks.ts";
import { isObject } from "./is-object.ts";
import { type ReduceOptions, resolveOptions } from "./options.ts";
import { reduceReadOutput } from "./read-output.ts";
import { type Reduction, unchanged } from "./reduction.ts";
import { reduceSearchOutput, reduceWebFetchOutput } from "./search-and-fetch-output.ts";

/**
 * Tools whose response the model never reads as output (it gets a short confirmation), or
 * whose fields other parts of Claude Code rely on verbatim: never touched.
 */
const untouchedTools = new Set(["Write", "Edit", "MultiEdit", "NotebookEdit", "TodoWrite", "ExitPlanMode", "AskUserQuestion"]);

/**
 * Decides the replacement for one tool call's response, in the tool's own shape, or
 * "unchanged". Pure and deterministic: the hook bin feeds it stdin and prints the answer.
 * Throws only for invalid options (RangeError/TypeError naming the option).
 */
export function reduceToolOutput(toolName: string, toolResponse: unknown, options: ReduceOptions = {}): Reduction {
  const resolved = resolveOptions(options);
  if (typeof toolName !== "string" || untouchedTools.has(toolName)) return unchanged;
  switch (toolName) {
    case "Bash":
      return reduceBashOutput(toolResponse, resolved);
    case "Read":
      return reduceReadOutput(toolResponse, resolved);
    case "Grep":
    case "Glob":
      return reduceSearchOutput(toolResponse, resolved);
    case "WebFetch":
      return reduceWebFetchOutput(toolResponse, resolved);
    default:
      // Shell-like results of other tools (background shell output and the like) have Bash's fields.
      if (isObject(toolResponse) && typeof toolResponse.stdout === "string") return reduceBashOutput(toolResponse, resolved);
      return reduceGenericOutput(toolResponse, resolved);
  }
}
