import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type ModelServer, type ReceivedToolResult, runClaude, startModelServer, type Step, text, toolResults, toolUse } from "@claude-k8s/lab/source/model-server/index.ts";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stripAnsi } from "./terminal-text.ts";
import { builtBin } from "./test-utils/built-bin.ts";
import { unfoldSimilarLines } from "./test-utils/unfold-similar-lines.ts";
import { utf8ByteLength } from "./utf8.ts";

// Failing commands, through the real Claude Code CLI (2.1.330) with the PreToolUse rewrite
// and the built bin: what the model receives, read from the scripted model server.

let bin: string;
let home: string;
let work: string;
let server: ModelServer | undefined;
const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");

beforeAll(() => {
  bin = builtBin();
});
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "rtk-hook-wrap-e2e-"));
  work = join(home, "work");
  mkdirSync(work);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(home, { recursive: true, force: true });
});

const settings = () => execFileSync(process.execPath, [bin, "settings-json", "--command", `node ${bin}`], { encoding: "utf8" });

/** Runs the calls in one session; returns every tool_result the model got, in order. */
async function toolResultsFor(calls: Step[], hooked: boolean): Promise<ReceivedToolResult[]> {
  await server?.close();
  server = await startModelServer({ script: [...calls, text("Done.")] });
  const run = await runClaude({ baseUrl: server.url, prompt: "go", home, args: hooked ? ["--settings", settings()] : [], env: { CLAUDE_RTK_TEE_DIR: join(home, "tee") } });
  expect(run.result, run.stderr).toMatchObject({ is_error: false, result: "Done." });
  return toolResults(server.scriptedRequests().at(-1)!.body);
}

const fullOutputPath = (content: string) => /Full output: (\S+?)\]/.exec(content)?.[1];

function brokenTypeScript(): string {
  const lines = ["interface User { id: number; name: string }"];
  for (let n = 0; n < 80; n += 1) {
    lines.push(`export const user${n}: User = { id: "${n}", name: "n${n}" };`);
    lines.push(`export function show${n}(u: User): number { return u.name.length + missing${n}; }`);
  }
  return lines.join("\n");
}

function failingTests(): string {
  const cases = Array.from({ length: 300 }, (_, n) =>
    n % 50 === 7 ? `test("parses case ${n}", () => { assert.strictEqual(${n} + 1, ${n + 2}); });` : `test("parses case ${n}", () => { assert.strictEqual(${n}, ${n}); });`,
  );
  return `import { test } from "node:test";\nimport assert from "node:assert";\n${cases.join("\n")}\n`;
}

describe("failing commands through the PreToolUse rewrite", () => {
  it("a failing tsc reaches the model reduced, with every error location and exit status 2", async () => {
    writeFileSync(join(work, "broken.ts"), brokenTypeScript());
    const args = [tsc, "--noEmit", "--strict", "--pretty", "true", "broken.ts"];
    const raw = spawnSync(process.execPath, args, { cwd: work, encoding: "utf8" });
    expect(raw.status).toBe(2);
    const errorLines = stripAnsi(raw.stdout)
      .split("\n")
      .filter((line) => /error TS\d+/.test(line));
    expect(errorLines).toHaveLength(160);
    const call = toolUse("Bash", { command: `node ${tsc} ${args.slice(1).join(" ")}` });

    const [without] = await toolResultsFor([call], false);
    expect(without!.isError).toBe(true);
    expect(without!.content.startsWith("Exit code 2\n")).toBe(true);
    // Claude's own cut keeps the head: most error lines never reach the model.
    expect(errorLines.filter((line) => !without!.content.includes(line)).length).toBeGreaterThan(100);

    const [hooked] = await toolResultsFor([call], true);
    expect(hooked!.isError).toBe(true);
    expect(hooked!.content.startsWith("Exit code 2\n")).toBe(true);
    const received = new Set(unfoldSimilarLines(hooked!.content.split("\n")));
    expect(errorLines.filter((line) => !received.has(line))).toEqual([]);
    expect(hooked!.content).toContain("Found 160 errors in the same file, starting at: broken.ts:2");
    expect(utf8ByteLength(hooked!.content)).toBeLessThan(utf8ByteLength(stripAnsi(raw.stdout)) / 2);
    // Tee mode: one line names the file with the full output.
    const path = fullOutputPath(hooked!.content);
    expect(path).toBeDefined();
    expect(readFileSync(path!, "utf8")).toBe(raw.stdout);
    // gain reads the session's transcript back: the cut is counted.
    const gain = execFileSync(process.execPath, [bin, "gain", "--days", "1"], { encoding: "utf8", env: { ...process.env, CLAUDE_CONFIG_DIR: join(home, ".claude") } });
    expect(gain).toMatch(/ sessions? in the last 1 days: \d+ tool results, 1 cut by rtk-hook; [\d.]+ KB of their [\d.]+ KB cut/);
  });

  it("a failing test run reaches the model reduced, with the failing test names and exit status 1", async () => {
    writeFileSync(join(work, "cases.test.mjs"), failingTests());
    const raw = spawnSync(process.execPath, ["--test", "--test-reporter=spec", "cases.test.mjs"], { cwd: work, encoding: "utf8" });
    expect(raw.status).toBe(1);
    const failing = [7, 57, 107, 157, 207, 257].map((n) => `parses case ${n}`);
    const call = toolUse("Bash", { command: "node --test --test-reporter=spec cases.test.mjs" });

    const [without] = await toolResultsFor([call], false);
    expect(without!.content.startsWith("Exit code 1\n")).toBe(true);

    const [hooked] = await toolResultsFor([call], true);
    expect(hooked!.isError).toBe(true);
    expect(hooked!.content.startsWith("Exit code 1\n")).toBe(true);
    const received = unfoldSimilarLines(hooked!.content.split("\n"));
    for (const name of failing) expect(received.some((line) => line.startsWith(`✖ ${name} (`))).toBe(true);
    expect(hooked!.content).toMatch(/ℹ fail 6/);
    expect(hooked!.content).toContain("AssertionError");
    expect(utf8ByteLength(hooked!.content)).toBeLessThan(utf8ByteLength(without!.content) / 2);
    const timeless = (output: string) => output.replace(/\d+\.\d+/g, "N");
    expect(timeless(readFileSync(fullOutputPath(hooked!.content)!, "utf8"))).toBe(timeless(raw.stdout + raw.stderr));
  });

  it("gives the model exactly what it gets without the hook for small outputs: exit status, stderr, cwd, heredocs, signals, stdin, env, background jobs", async () => {
    mkdirSync(join(work, "sub"));
    const calls = [
      toolUse("Bash", { command: "cd sub" }),
      toolUse("Bash", { command: 'basename "$PWD"' }),
      toolUse("Bash", { command: "echo out; echo err >&2; exit 7" }),
      toolUse("Bash", { command: "cat <<'EOF'\nliteral $HOME\nEOF\necho after" }),
      toolUse("Bash", { command: "sh -c 'kill -TERM $$'; echo status $?" }),
      toolUse("Bash", { command: 'read line; echo "stdin: [$line]"' }),
      toolUse("Bash", { command: "export RTK_E2E=kept; echo $RTK_E2E" }),
      // A background job: passed through untouched (its output may come after the command ends).
      toolUse("Bash", { command: "(sleep 0.2; echo late) & echo started; wait; echo waited" }),
      toolUse("Bash", { command: "seq 1 10000" }),
    ];
    const without = await toolResultsFor(calls, false);
    const hooked = await toolResultsFor(calls, true);
    expect(hooked.slice(0, -1).map((result) => [result.isError, result.content])).toEqual(without.slice(0, -1).map((result) => [result.isError, result.content]));
    expect(hooked[1]!.content).toBe("sub");
    // The last one proves the rewrite was active in that session.
    expect(hooked.at(-1)!.content).toContain("[rtk-hook: cut");
  });
});
