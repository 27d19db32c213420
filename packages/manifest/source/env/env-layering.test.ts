import { describe, expect, it } from "vitest";
import { ManifestErrorCode } from "../errors.ts";
import { type EnvLayeringInput, layerEnv } from "./env-layering.ts";
import { isInheritableEnvName } from "./inheritance.ts";
import { isSensitiveEnv } from "./sensitive.ts";

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
        defaults: new Map([["A", "default"], ["B", "default"], ["C", "default"], ["D", "default"]]),
        runEnv: new Map([["B", "run"], ["C", "run"], ["D", "run"]]),
        inherited: [{ name: "C", value: "inherited" }, { name: "D", value: "inherited" }],
        config: { env: { D: "config" }, inheritEnv: ["C", "D"] },
      }),
    );
    expect(env).toEqual([
      { name: "A", value: "default" },
      { name: "B", value: "run" },
      { name: "C", value: "inherited" },
      { name: "D", value: "config" },
    ]);
  });

  it("moves credentials into the Secret and references them", () => {
    const result = layerEnv(input({ config: { env: { GITHUB_TOKEN: "ghp_1", PLAIN: "x" }, inheritEnv: [] }, authToken: "jwt" }));
    expect(result.secretData).toEqual({ "env.GITHUB_TOKEN": "ghp_1", "env.PAPERCLIP_API_KEY": "jwt" });
    expect(result.env).toContainEqual({ name: "GITHUB_TOKEN", valueFrom: { secretKeyRef: { name: "run-secret", key: "env.GITHUB_TOKEN" } } });
    expect(result.env).toContainEqual({ name: "PLAIN", value: "x" });
  });

  it("escapes $ so the kubelet passes values through unexpanded", () => {
    const { env } = layerEnv(input({ config: { env: { PS1: "$(whoami) $$ $HOME" }, inheritEnv: [] } }));
    expect(env).toEqual([{ name: "PS1", value: "$$(whoami) $$$$ $$HOME" }]);
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
  it("denies server secrets even when a prefix or inheritEnv would allow them", () => {
    expect(isInheritableEnvName("DATABASE_URL", ["DATABASE_*"])).toBe(false);
    expect(isInheritableEnvName("PAPERCLIP_AGENT_JWT_SECRET", ["PAPERCLIP_*"])).toBe(false);
    expect(isInheritableEnvName("TMPDIR", ["TMPDIR"])).toBe(false);
  });

  it("allows by exact name, by prefix, and by the config's extra patterns", () => {
    expect(isInheritableEnvName("ANTHROPIC_BASE_URL")).toBe(true);
    expect(isInheritableEnvName("PAPERCLIP_API_URL")).toBe(true);
    expect(isInheritableEnvName("NODE_ENV")).toBe(false);
    expect(isInheritableEnvName("NODE_ENV", ["NODE_ENV"])).toBe(true);
    expect(isInheritableEnvName("OTEL_EXPORTER", ["OTEL_*"])).toBe(true);
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
