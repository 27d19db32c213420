import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { describe, expect, it } from "vitest";
import { builtBin } from "./test-utils/built-bin.ts";
import { hookFixture } from "./test-utils/fixtures.ts";

// The adapter copies dist/cli.js alone into pods and `install` copies it alone next to a
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
});
