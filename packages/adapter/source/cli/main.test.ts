import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "./args.ts";
import { main } from "./main.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text: string) => void out.push(text), err: (text: string) => void err.push(text), color: false }, out, err };
}

function configFile(config: Record<string, unknown>): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "cli-")), "config.json");
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe("claude-k8s", () => {
  it("prints usage for --help and exits 2 for an unknown command or option", async () => {
    const help = capture();
    expect(await main(["--help"], help.io)).toBe(0);
    expect(help.out.join("")).toMatch(/usage: claude-k8s <command>/);
    const unknown = capture();
    expect(await main(["launch"], unknown.io)).toBe(2);
    expect(unknown.err.join("")).toContain('unknown command "launch"');
    const badOption = capture();
    expect(await main(["render", "--confg", "x"], badOption.io)).toBe(2);
    expect(badOption.err.join("")).toContain("unknown option --confg (known: --config, --context, --output)");
  });

  it("each command has its own --help", async () => {
    for (const command of ["run", "render", "doctor", "sweep"]) {
      const { io, out } = capture();
      expect(await main([command, "--help"], io)).toBe(0);
      expect(out.join("")).toContain(`usage: claude-k8s ${command}`);
    }
  });

  it("render prints the Secret and the Job, with every secret value redacted, in YAML and JSON", async () => {
    const file = configFile({ namespace: "agents", image: "ghcr.io/acme/agent:1", env: { ANTHROPIC_API_KEY: "sk-ant-very-secret", GIT_AUTHOR_NAME: "Agent" } });
    for (const format of [[], ["-o", "json"]]) {
      const { io, out } = capture();
      expect(await main(["render", "--config", file, ...format], io)).toBe(0);
      const text = out.join("");
      expect(text).toContain(format.length ? '"kind": "Job"' : "kind: Job");
      expect(text).not.toContain("sk-ant-very-secret");
      expect(text).toContain("<redacted:");
    }
  });

  it("render refuses a wrong config with the key named, and an output format it does not know", async () => {
    const bad = capture();
    expect(await main(["render", "--config", configFile({ timeoutSec: "soon" })], bad.io)).toBe(2);
    expect(bad.err.join("")).toContain("timeoutSec");
    const format = capture();
    expect(await main(["render", "--config", configFile({}), "-o", "toml"], format.io)).toBe(2);
    expect(format.err.join("")).toContain('-o must be yaml or json, not "toml"');
    const missing = capture();
    expect(await main(["render", "--config", "/nonexistent/config.json"], missing.io)).toBe(2);
    expect(missing.err.join("")).toContain("cannot read adapter config /nonexistent/config.json: ENOENT");
  });
});

describe("parseArgs", () => {
  it("reads --name value, --name=value, booleans and positionals", () => {
    const parsed = parseArgs(["--config", "a.json", "--prompt=hi there", "--lab", "extra"], { values: ["config", "prompt"], booleans: ["lab"] });
    expect(parsed.flags.get("config")).toBe("a.json");
    expect(parsed.flags.get("prompt")).toBe("hi there");
    expect(parsed.flags.get("lab")).toBe(true);
    expect(parsed.positional).toEqual(["extra"]);
    expect(() => parseArgs(["--config"], { values: ["config"], booleans: [] })).toThrow(UsageError);
  });
});
