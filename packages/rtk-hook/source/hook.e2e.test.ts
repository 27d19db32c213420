import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  type ModelServer,
  type ReceivedToolResult,
  runClaude,
  startModelServer,
  type Step,
  text,
  toolResults,
  toolUse,
} from "@claude-k8s/lab/source/model-server/index.ts";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { builtBin } from "./test-utils/built-bin.ts";
import { utf8ByteLength } from "./utf8.ts";

// The real Claude Code CLI (2.1.330) runs the built hook bin against the scripted model
// server; what the model "received" is read from the server's recorded requests.

let bin: string;
let home: string;
let server: ModelServer | undefined;

beforeAll(() => {
  bin = builtBin();
});
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "rtk-hook-e2e-"));
  mkdirSync(join(home, "work"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(home, { recursive: true, force: true });
});

const hookSettings = (maxBytes?: number) =>
  execFileSync(process.execPath, [bin, "settings-json", "--command", `node ${bin}`, ...(maxBytes ? ["--max-bytes", String(maxBytes)] : [])], { encoding: "utf8" });

/** Runs one tool call and a closing answer; returns the tool_result the model got. */
async function toolResultFor(call: Step, args: string[] = []): Promise<ReceivedToolResult> {
  server = await startModelServer({ script: [call, text("Done.")] });
  const run = await runClaude({ baseUrl: server.url, prompt: "go", home, args });
  expect(run.result, run.stderr).toMatchObject({ is_error: false, result: "Done." });
  const [result] = toolResults(server.scriptedRequests()[1]!.body);
  return result!;
}

// ~20 KB, under Claude Code's own 30000-character inline limit, with one error mid-way.
const mediumCommand = `for i in $(seq 1 2000); do echo "row $i ok"; if [ $i = 1000 ]; then echo "error: row 1000 broke"; fi; done`;

describe("Bash through the hook", () => {
  it("gives the model the full output without the hook", async () => {
    const result = await toolResultFor(toolUse("Bash", { command: mediumCommand }));
    expect(result.content.split("\n")).toHaveLength(2001);
    expect(result.content).not.toContain("[rtk-hook");
  });

  it("gives the model head, tail and the error line within the budget with the hook", async () => {
    const result = await toolResultFor(toolUse("Bash", { command: mediumCommand }), ["--settings", hookSettings(4000)]);
    expect(utf8ByteLength(result.content)).toBeLessThanOrEqual(4000);
    const lines = result.content.split("\n");
    expect(lines[0]).toBe("row 1 ok");
    expect(lines.at(-1)).toBe("row 2000 ok");
    expect(lines).toContain("error: row 1000 broke");
    expect(result.content).toMatch(/\[rtk-hook: cut \d+ of 2001 lines .* the 1 error\/warning line from the cut part follows\./);
  });

  it("points at Claude's persisted file for outputs over its own ~30 KB cut, keeping the real tail", async () => {
    const without = await toolResultFor(toolUse("Bash", { command: "seq 1 20000" }));
    expect(without.content).toMatch(/^<persisted-output>\nOutput too large/); // a 2 KB head-only preview
    await server?.close();

    const result = await toolResultFor(toolUse("Bash", { command: "seq 1 20000" }), ["--settings", hookSettings()]);
    const path = /Full output: (\S+?)\]/.exec(result.content)?.[1];
    expect(path).toBeDefined();
    expect(readFileSync(path!, "utf8").trimEnd().split("\n")).toHaveLength(20000);
    expect(result.content).not.toContain("<persisted-output>");
    expect(utf8ByteLength(result.content)).toBeLessThanOrEqual(30_000);
    expect(result.content.startsWith("1\n2\n3\n")).toBe(true);
    expect(result.content.endsWith("19999\n20000")).toBe(true);
  });
});

describe("other tool shapes through the hook", () => {
  it("Read of a large file: a true head with Claude's line numbers and where to continue", async () => {
    const file = join(home, "work", "big.ts");
    writeFileSync(file, Array.from({ length: 1500 }, (_, n) => `export const value${n} = ${n}; // ${"é".repeat(20)}`).join("\n"));
    const result = await toolResultFor(toolUse("Read", { file_path: file }), ["--settings", hookSettings(5000)]);
    const lines = result.content.trimEnd().split("\n");
    expect(lines[0]).toBe(`1\texport const value0 = 0; // ${"é".repeat(20)}`);
    const marker = lines.at(-1)!;
    const shown = lines.length - 1;
    expect(marker).toBe(`${shown + 1}\t[rtk-hook: showing lines 1-${shown} of 1-1500; cut ${1500 - shown} lines (${marker.match(/\((\d+) bytes\)/)?.[1]} bytes). Read with offset=${shown + 1} to see more.]`);
    expect(lines[shown - 1]).toBe(`${shown}\texport const value${shown - 1} = ${shown - 1}; // ${"é".repeat(20)}`);
  });

  it("an MCP tool: text cut, image block delivered untouched", async () => {
    const mcpServer = new URL("./test-utils/mcp-output-server.ts", import.meta.url).pathname;
    const mcp = JSON.stringify({ mcpServers: { output: { command: process.execPath, args: [mcpServer] } } });
    const call = toolUse("mcp__output__emit", { lines: 1000, image: true });
    const result = await toolResultFor(call, ["--settings", hookSettings(4000), "--mcp-config", mcp]);
    const blocks = result.raw.content as Array<{ type: string; text?: string; source?: { data: string } }>;
    expect(blocks.map((block) => block.type)).toEqual(["text", "image", "text"]);
    expect(blocks[0]!.text).toMatch(/^mcp line 1 of 1000: /);
    expect(blocks[0]!.text).toMatch(/mcp line 1000 of 1000: x+$/);
    expect(blocks[0]!.text).toContain("[rtk-hook: cut");
    expect(utf8ByteLength(blocks[0]!.text!)).toBeLessThanOrEqual(4000);
    expect(blocks[1]!.source?.data).toBe("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");
  });
});

describe("install / uninstall with the built bin", () => {
  it("round-trips a settings file that already has other hooks, and the installed copy works", async () => {
    const settingsFile = join(home, ".claude", "settings.json");
    mkdirSync(join(home, ".claude"));
    const marker = join(home, "pre-tool-use-ran");
    const original = `${JSON.stringify(
      {
        hooks: {
          PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: `touch ${marker}` }] }],
          PostToolUse: [{ matcher: "Write", hooks: [{ type: "command", command: "true" }] }],
        },
        env: { KEEP_ME: "1" },
      },
      null,
      2,
    )}\n`;
    writeFileSync(settingsFile, original);
    // An earlier version's copy (an ES module): replaced by this install, not left behind.
    const earlier = join(home, ".claude", "hooks", "claude-rtk-hook.mjs");
    mkdirSync(dirname(earlier), { recursive: true });
    writeFileSync(earlier, "");
    const cli = (...args: string[]) => execFileSync(process.execPath, [bin, ...args], { encoding: "utf8", stdio: "pipe" });
    cli("install", "--settings", settingsFile, "--max-bytes", "4000");
    cli("install", "--settings", settingsFile, "--max-bytes", "4000");
    const installed = JSON.parse(readFileSync(settingsFile, "utf8"));
    const copy = join(home, ".claude", "hooks", "claude-rtk-hook.cjs");
    expect(existsSync(copy)).toBe(true);
    expect(existsSync(earlier)).toBe(false);
    const ours = { type: "command", command: `node ${copy} --max-bytes 4000`, timeout: 30 };
    expect(installed.hooks.PreToolUse).toEqual([{ matcher: "Bash", hooks: [{ type: "command", command: `touch ${marker}` }] }, { matcher: "Bash", hooks: [ours] }]);
    expect(installed.hooks.PostToolUse).toEqual([{ matcher: "Write", hooks: [{ type: "command", command: "true" }] }, { matcher: "*", hooks: [ours] }]);

    // The user's own settings file (CLAUDE_CONFIG_DIR=<home>/.claude), no --settings flag.
    const result = await toolResultFor(toolUse("Bash", { command: mediumCommand }));
    expect(utf8ByteLength(result.content)).toBeLessThanOrEqual(4000);
    expect(result.content).toContain("error: row 1000 broke");
    expect(existsSync(marker)).toBe(true); // the other hook still runs

    cli("uninstall", "--settings", settingsFile);
    expect(readFileSync(settingsFile, "utf8")).toBe(original);
    expect(existsSync(copy)).toBe(false);
  });
});
