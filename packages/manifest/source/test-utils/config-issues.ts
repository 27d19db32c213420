import type { ConfigIssue } from "../errors.ts";
import { parseAdapterConfig } from "../config/parse-adapter-config.ts";

/** The issues a raw config is rejected with; fails the test when it is accepted. */
export function issuesOf(raw: unknown): ConfigIssue[] {
  const result = parseAdapterConfig(raw);
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.config)}`);
  return result.issues;
}
