import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinModules } from "node:module";
import { describe, expect, it } from "vitest";
import { builtBin } from "./test-utils/built-bin.ts";
import { hookFixture } from "./test-utils/fixtures.ts";

// The adapter copies dist/cli.cjs alone into pods and `install` copies it alone next to a
// settings file: it must not import anything but Node's own modules.

describe("the built bin", () => {
  it("is one file that imports only Node built-ins", () => {
    const source = readFileSync(builtBin(), "utf8");
    expect(source.startsWith("#!/usr/bin/env node\n")).toBe(true);
    const imported = [...source.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\brequire\(\s*["']([^"']+)["']\s*\)/g)].map(
      (match) => match[1] ?? match[2] ?? match[3],
    );
    expect(imported.length).toBeGreaterThan(0);
    const builtins = new Set(builtinModules);
    for (const specifier of imported) expect(builtins.has(specifier!.replace(/^node:/, "")), specifier).toBe(true);
  });

  it("answers a hook event when run on its own", () => {
    const event = hookFixture("bash-small");
    const stdout = execFileSync(process.execPath, [builtBin(), "--max-bytes", "1000"], {
      input: JSON.stringify({ ...event, tool_response: { ...(event.tool_response as object), stdout: "x\n".repeat(5000) } }),
      encoding: "utf8",
    });
    expect(JSON.parse(stdout).hookSpecificOutput.updatedToolOutput.stdout).toContain("[rtk-hook: previous line repeated");
  });

  it("is CommonJS, which Node starts faster than an ES module (Claude starts it on every tool call)", () => {
    const source = readFileSync(builtBin(), "utf8");
    expect(source).not.toMatch(/^import\s/m);
    expect(source).not.toMatch(/^export\s/m);
    expect(builtBin().endsWith(".cjs")).toBe(true);
  });

  it("calls itself back by its own path, whatever characters the path has", () => {
    const dir = mkdtempSync(join(tmpdir(), "rtk hook #1 "));
    try {
      const copy = join(dir, "claude-rtk-hook.cjs");
      copyFileSync(builtBin(), copy);
      const stdout = execFileSync(process.execPath, [copy], { input: JSON.stringify({ hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command: "seq 1 5000" } }), encoding: "utf8" });
      const command = JSON.parse(stdout).hookSpecificOutput.updatedInput.command as string;
      expect(command).toContain(`${copy}'\\'' reduce-output`); // quoted inside the single-quoted trap
      const result = spawnSync("bash", ["-c", command], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", CLAUDE_RTK_TEE_DIR: join(dir, "tee") } });
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^1\n2\n[\s\S]*\[rtk-hook: cut [\s\S]*\n5000\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
