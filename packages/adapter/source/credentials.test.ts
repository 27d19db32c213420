import { describe, expect, it } from "vitest";
import { billingFacts } from "./credentials.ts";

const env = (values: Record<string, string>) => ({ names: new Set(Object.keys(values)), values });

describe("billingFacts", () => {
  it("tells API keys, subscriptions, Bedrock and Vertex apart", () => {
    expect(billingFacts(env({ ANTHROPIC_API_KEY: "x" }))).toEqual({ provider: "anthropic", biller: "anthropic", billingType: "metered_api" });
    expect(billingFacts(env({ CLAUDE_CODE_OAUTH_TOKEN: "x" }))).toEqual({ provider: "anthropic", biller: "anthropic", billingType: "subscription" });
    expect(billingFacts(env({ CLAUDE_CODE_USE_BEDROCK: "1", AWS_REGION: "us-east-1" }))).toEqual({ provider: "bedrock", biller: "aws", billingType: "metered_api" });
    expect(billingFacts(env({ CLAUDE_CODE_USE_VERTEX: "true" }))).toEqual({ provider: "vertex", biller: "gcp", billingType: "metered_api" });
    expect(billingFacts(env({}))).toEqual({ provider: "anthropic", biller: "anthropic", billingType: "unknown" });
  });

  it("lets an API key win over a subscription token, as Claude Code does", () => {
    expect(billingFacts(env({ CLAUDE_CODE_OAUTH_TOKEN: "x", ANTHROPIC_API_KEY: "y" })).billingType).toBe("metered_api");
  });
});
