import type { BillingType } from "./paperclip-types.ts";

export interface BillingFacts {
  provider: "anthropic" | "bedrock" | "vertex";
  biller: "anthropic" | "aws" | "gcp";
  billingType: BillingType;
}

const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());

/**
 * Who serves and who bills this run, from the environment variables the pod was given
 * (names, plus the few switch values we can read). The public adapter said "anthropic /
 * api" for every run, including Bedrock and subscription accounts.
 */
export function billingFacts(env: { names: ReadonlySet<string>; values: Record<string, string | undefined> }): BillingFacts {
  if (truthy(env.values.CLAUDE_CODE_USE_BEDROCK)) return { provider: "bedrock", biller: "aws", billingType: "metered_api" };
  if (truthy(env.values.CLAUDE_CODE_USE_VERTEX)) return { provider: "vertex", biller: "gcp", billingType: "metered_api" };
  // An API key wins over a subscription login in Claude Code, so it decides first.
  if (env.names.has("ANTHROPIC_API_KEY") || env.names.has("ANTHROPIC_AUTH_TOKEN")) return { provider: "anthropic", biller: "anthropic", billingType: "metered_api" };
  if (env.names.has("CLAUDE_CODE_OAUTH_TOKEN")) return { provider: "anthropic", biller: "anthropic", billingType: "subscription" };
  return { provider: "anthropic", biller: "anthropic", billingType: "unknown" };
}
