import { describe, expect, it } from "vitest";
import { parseAdapterConfig } from "./parse-adapter-config.ts";

const issuesOf = (raw: Record<string, unknown>) => {
  const result = parseAdapterConfig(raw);
  return result.ok ? [] : result.issues.map((issue) => `${issue.path}: ${issue.expected}`);
};

describe("credentials by reference", () => {
  it("reads envFromSecrets and envSecretKeyRefs in their object, string and JSON forms", () => {
    const result = parseAdapterConfig({
      envFromSecrets: '["anthropic-credentials"]',
      envSecretKeyRefs: { ANTHROPIC_API_KEY: "anthropic-credentials/api-key", GH_TOKEN: { name: "github", key: "token" } },
    });
    expect(result.ok && result.config.envFromSecrets).toEqual(["anthropic-credentials"]);
    expect(result.ok && result.config.envSecretKeyRefs).toEqual({ ANTHROPIC_API_KEY: { name: "anthropic-credentials", key: "api-key" }, GH_TOKEN: { name: "github", key: "token" } });
  });

  it("refuses bad Secret names, keys and variable names like every other key, without echoing them", () => {
    const issues = issuesOf({ envFromSecrets: ["Bad_Name"], envSecretKeyRefs: { "1BAD": "s/k", GOOD: "no-slash", OTHER: "s/bad key" } });
    expect(issues).toEqual([
      "envFromSecrets[0]: a Secret name (DNS-1123 subdomain)",
      "envSecretKeyRefs.1BAD: a variable name of letters, digits, '_', '-' or '.', not starting with a digit",
      'envSecretKeyRefs.GOOD: "<secret name>/<key>" naming a Secret (DNS-1123 subdomain) and one of its keys',
      'envSecretKeyRefs.OTHER: "<secret name>/<key>" naming a Secret (DNS-1123 subdomain) and one of its keys',
    ]);
    const result = parseAdapterConfig({ envSecretKeyRefs: { GOOD: "no-slash-secret-value" } });
    expect(result.ok ? "" : result.error.message).not.toContain("no-slash-secret-value");
  });

  it("refuses one variable from two sources", () => {
    expect(issuesOf({ env: { TOKEN: "x" }, envSecretKeyRefs: { TOKEN: "s/k" } })).toEqual(["envSecretKeyRefs.TOKEN: a variable not also set in env (one source per variable)"]);
  });
});
