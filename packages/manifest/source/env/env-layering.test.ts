import { describe, expect, it } from "vitest";
import { ManifestErrorCode } from "../errors.ts";
import { type EnvLayeringInput, layerEnv } from "./env-layering.ts";
import { isInheritableEnvName } from "./inheritance.ts";
import { isPublicEnv, isSensitiveEnv } from "./sensitive.ts";

function input(overrides: Partial<EnvLayeringInput> = {}): EnvLayeringInput {
  return {
    config: { env: {}, inheritEnv: [] },
    defaults: new Map(),
    runEnv: new Map(),
    inherited: [],
    authToken: undefined,
    secretName: "run-secret",
    crossNamespace: false,
    ...overrides,
  };
}

describe("layerEnv", () => {
  it("layers defaults < run < inherited < config.env", () => {
    const { env } = layerEnv(
      input({
        defaults: new Map([["A", "default"], ["B", "default"], ["TZ", "default"], ["LANG", "default"]]),
        runEnv: new Map([["B", "run"], ["TZ", "run"], ["LANG", "run"]]),
        inherited: [{ name: "TZ", value: "inherited" }, { name: "LANG", value: "inherited" }],
        config: { env: { LANG: "config" }, inheritEnv: [] },
      }),
    );
    expect(env).toEqual([
      { name: "A", value: "default" },
      { name: "B", value: "run" },
      { name: "LANG", value: "config" },
      { name: "TZ", value: "inherited" },
    ]);
  });

  it("moves credentials into the Secret and references them", () => {
    const result = layerEnv(input({ config: { env: { GITHUB_TOKEN: "ghp_1", SMTP_PASS: "p", GIT_AUTHOR_NAME: "ceo" }, inheritEnv: [] }, authToken: "jwt" }));
    // Any name not known to be public travels in the Secret: a name heuristic misses SMTP_PASS.
    expect(result.secretData).toEqual({ "env.GITHUB_TOKEN": "ghp_1", "env.SMTP_PASS": "p", "env.PAPERCLIP_API_KEY": "jwt" });
    expect(result.env).toContainEqual({ name: "GITHUB_TOKEN", valueFrom: { secretKeyRef: { name: "run-secret", key: "env.GITHUB_TOKEN" } } });
    expect(result.env).toContainEqual({ name: "GIT_AUTHOR_NAME", value: "ceo" });
  });

  it("escapes $ so the kubelet passes values through unexpanded", () => {
    const { env } = layerEnv(input({ config: { env: { GIT_AUTHOR_NAME: "$(whoami) $$ $HOME" }, inheritEnv: [] } }));
    expect(env).toEqual([{ name: "GIT_AUTHOR_NAME", value: "$$(whoami) $$$$ $$HOME" }]);
  });

  it("refuses an inherited literal over the exec limit, naming it", () => {
    expect(() => layerEnv(input({ inherited: [{ name: "ANTHROPIC_CUSTOM_HEADERS", value: "h".repeat(140_000) }] }))).toThrow(
      expect.objectContaining({ code: ManifestErrorCode.envTooLarge, message: expect.stringContaining("inherited ANTHROPIC_CUSTOM_HEADERS") }),
    );
  });

  it("accepts a value just under the limit and refuses one byte more", () => {
    const name = "BIG";
    const fits = "v".repeat(128 * 1024 - name.length - 2);
    expect(() => layerEnv(input({ config: { env: { BIG: fits }, inheritEnv: [] } }))).not.toThrow();
    expect(() => layerEnv(input({ config: { env: { BIG: `${fits}v` }, inheritEnv: [] } }))).toThrow(/E2BIG/);
  });
});

describe("inheritance rules", () => {
  it("denies Paperclip's real secrets even when an operator or agent pattern would allow them", () => {
    const wide = { operator: ["P*", "D*", "B*", "*"], agent: ["PAPERCLIP_*"] };
    for (const name of [
      "DATABASE_URL",
      "DATABASE_MIGRATION_URL",
      "PAPERCLIP_SECRETS_MASTER_KEY",
      "PAPERCLIP_SECRETS_MASTER_KEY_FILE",
      "PAPERCLIP_AGENT_JWT_SECRET",
      "PAPERCLIP_TOOL_ACTION_SIGNING_SECRET",
      "PAPERCLIP_CLOUD_TENANT_SERVER_TOKEN",
      "PAPERCLIP_STORAGE_S3_BUCKET",
      "PAPERCLIP_TEST_DATABASE_URL",
      "BETTER_AUTH_SECRET",
      "PGPASSWORD",
      "SLACK_BOT_TOKEN",
      "RUN_LOG_S3_BUCKET",
      "TMPDIR",
    ]) {
      expect(isInheritableEnvName(name, wide), name).toBe(false);
    }
  });

  it("inherits the model's own variables by exact name, and nothing else by default", () => {
    expect(isInheritableEnvName("ANTHROPIC_BASE_URL")).toBe(true);
    expect(isInheritableEnvName("ANTHROPIC_API_KEY")).toBe(true);
    expect(isInheritableEnvName("PAPERCLIP_API_URL")).toBe(true);
    // The old prefixes handed the server's own cloud credentials (e.g. its S3 storage) to every pod.
    for (const name of ["AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "GOOGLE_API_KEY", "OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "ANTHROPIC_SOMETHING_NEW", "NODE_ENV"]) {
      expect(isInheritableEnvName(name), name).toBe(false);
    }
  });

  it("inherits Bedrock's and Vertex's variables only when claude is switched to them", () => {
    expect(isInheritableEnvName("AWS_SECRET_ACCESS_KEY", { provider: { bedrock: true, vertex: false } })).toBe(true);
    expect(isInheritableEnvName("AWS_SECRET_ACCESS_KEY", { provider: { bedrock: false, vertex: true } })).toBe(false);
    expect(isInheritableEnvName("ANTHROPIC_VERTEX_PROJECT_ID", { provider: { bedrock: false, vertex: true } })).toBe(true);
    expect(isInheritableEnvName("ANTHROPIC_VERTEX_PROJECT_ID")).toBe(false);
  });

  it("widens by the operator's and the agent's patterns, never past the deny list", () => {
    expect(isInheritableEnvName("NODE_ENV", { operator: ["NODE_ENV"] })).toBe(true);
    expect(isInheritableEnvName("OTEL_EXPORTER", { agent: ["OTEL_*"] })).toBe(true);
    expect(isInheritableEnvName("OTEL_EXPORTER", { agent: ["OTEL_EXPORTER_X"] })).toBe(false);
  });

  it("keeps only known-public names as literals, and none whose value carries a URL credential", () => {
    for (const name of ["SMTP_PASS", "GH_PAT", "STRIPE_SK", "WEBHOOK_URL", "MONGO_URI", "MY_SETTING"]) expect(isPublicEnv(name, "x"), name).toBe(false);
    expect(isPublicEnv("GIT_AUTHOR_NAME", "ceo")).toBe(true);
    expect(isPublicEnv("HTTPS_PROXY", "http://proxy:3128")).toBe(true);
    expect(isPublicEnv("HTTPS_PROXY", "http://user:pw@proxy:3128")).toBe(false);
  });

  it("classifies credentials by name and by URL userinfo", () => {
    expect(isSensitiveEnv("ANTHROPIC_BASE_URL", "https://x")).toBe(true);
    expect(isSensitiveEnv("DB_PASSWORD", "x")).toBe(true);
    expect(isSensitiveEnv("HTTPS_PROXY", "http://user:pw@proxy:3128")).toBe(true);
    expect(isSensitiveEnv("HTTPS_PROXY", "http://proxy:3128")).toBe(false);
    expect(isSensitiveEnv("GIT_COMMITTER_NAME", "ceo")).toBe(false);
    // The name rule errs on the side of secrecy: AUTHOR contains AUTH.
    expect(isSensitiveEnv("GIT_AUTHOR_NAME", "ceo")).toBe(true);
  });

  it("scans huge values in linear time (no backtracking pattern)", () => {
    const huge = `x://${"v".repeat(131_000)}`;
    expect(isSensitiveEnv("PLAIN", huge)).toBe(false);
    expect(isSensitiveEnv("PLAIN", `${"://a".repeat(30_000)}@`)).toBe(true);
  });
});

describe("layerEnv total size", () => {
  const big = (char: string) => char.repeat(120_000);

  it("sheds run-derived JSON, largest first, to keep the whole environment under the exec limit", () => {
    const runEnv = new Map([
      ["PAPERCLIP_WAKE_PAYLOAD_JSON", big("w")],
      ["PAPERCLIP_WORKSPACES_JSON", "s".repeat(120_100)],
    ]);
    // 7 x 120 KB of config env + two 120 KB run JSON values: over 1 MiB until one JSON goes.
    const config = { env: Object.fromEntries(Array.from({ length: 7 }, (_, index) => [`BLOB_${index}`, big("b")])), inheritEnv: [] };
    const result = layerEnv(input({ runEnv, config }));
    const names = result.env.map((entry) => entry.name);
    expect(names).not.toContain("PAPERCLIP_WORKSPACES_JSON");
    expect(names).toContain("PAPERCLIP_WAKE_PAYLOAD_JSON");
    expect(result.env.find((entry) => entry.name === "PAPERCLIP_ENV_SHED_JSON")).toEqual({
      name: "PAPERCLIP_ENV_SHED_JSON",
      value: JSON.stringify({ PAPERCLIP_WORKSPACES_JSON: 120_100 }),
    });
  });

  it("refuses when shedding is not enough, naming the largest variables", () => {
    const config = { env: Object.fromEntries(Array.from({ length: 9 }, (_, index) => [`BLOB_${index}`, big("b")])), inheritEnv: [] };
    expect(() => layerEnv(input({ config }))).toThrow(
      expect.objectContaining({ code: ManifestErrorCode.envTooLarge, message: expect.stringContaining("config env.BLOB_0 120008 bytes") }),
    );
  });
});
