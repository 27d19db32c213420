import { readFileSync } from "node:fs";

/** A recorded PostToolUse hook input (CLI 2.1.330) from source/fixtures. */
export function hookFixture(name: string): { tool_name: string; tool_response: unknown; hook_event_name: string } & Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/posttooluse-${name}.json`, import.meta.url), "utf8"));
}
