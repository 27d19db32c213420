import path from "node:path";
import { describe, expect, it } from "vitest";
import { type CliIo, EXIT_FAILED_OUTCOME, EXIT_USAGE, runCli } from "./cli-run.ts";
import { fixturesDir, readFixture } from "./test-utils/fixtures.ts";

async function cli(args: string[], options: { stdin?: Uint8Array[]; isTTY?: boolean; env?: Record<string, string> } = {}) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    write: (text) => {
      stdout += text;
    },
    error: (text) => {
      stderr += text;
    },
    stdin: (async function* () {
      yield* options.stdin ?? [];
    })(),
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

const fixture = (name: string, ext = "jsonl") => path.join(fixturesDir, `${name}.${ext}`);

describe("claude-stream summary", () => {
  it("prints the documented JSON fields", async () => {
    const { code, stdout, stderr } = await cli(["summary", fixture("text-only"), "--exit-code", "0"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual([
      "sessionId",
      "model",
      "models",
      "numTurns",
      "durationMs",
      "costUsd",
      "usage",
      "modelUsage",
      "apiRetries",
      "permissionDenials",
      "rateLimits",
      "summary",
      "outcome",
    ]);
    expect(json).toMatchObject({
      sessionId: "c28d71f1-c4b7-416f-86a9-8f00e2e31f7d",
      model: "claude-opus-5-5",
      numTurns: 1,
      durationMs: 889,
      costUsd: 0.049416,
      usage: { inputTokens: 12314, outputTokens: 8, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
      apiRetries: { count: 0, lastStatus: null, lastError: null },
      summary: "All done: the task is complete.",
      outcome: { code: "success" },
    });
  });

  it("uses --exit-code and --stderr for the outcome", async () => {
    const { stdout } = await cli(["summary", fixture("resume-unknown"), `--exit-code=1`, "--stderr", fixture("resume-unknown", "stderr")]);
    expect(JSON.parse(stdout).outcome).toMatchObject({ code: "session_unavailable", clearSession: true });
  });

  it("--fail-on-error exits 1 on a failed outcome (the JSON still printed) and 0 on a success", async () => {
    const failed = await cli(["summary", fixture("resume-unknown"), "--exit-code", "1", "--stderr", fixture("resume-unknown", "stderr"), "--fail-on-error"]);
    expect(failed.code).toBe(EXIT_FAILED_OUTCOME);
    expect(JSON.parse(failed.stdout).outcome.code).toBe("session_unavailable");
    const ok = await cli(["summary", fixture("text-only"), "--exit-code", "0", "--fail-on-error"]);
    expect(ok.code).toBe(0);
    // Without the flag a failed outcome still exits 0: the input was read.
    expect((await cli(["summary", fixture("resume-unknown"), "--exit-code", "1"])).code).toBe(0);
  });

  it("reads stdin for -", async () => {
    const bytes = readFixture("rate-429");
    const { code, stdout } = await cli(["summary", "-"], { stdin: [bytes.subarray(0, 1000), bytes.subarray(1000)] });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ apiRetries: { count: 10, lastStatus: 429 }, outcome: { code: "claude_transient_upstream", errorFamily: "transient_upstream" } });
  });

  it.each([
    [["summary"], /missing input: claude-stream summary <file\|->/],
    [["summary", "a", "b"], /expected one input, got 2/],
    [["summary", "a", "--exit-code"], /--exit-code needs a value/],
    [["summary", "a", "--exit-code", "abc"], /--exit-code must be the CLI's exit status, a whole number from 0 to 255; got "abc"/],
    [["summary", "a", "--exit-code", "256"], /got "256"/],
    [["summary", "a", "--verbose"], /unknown option "--verbose" for claude-stream summary; it takes --exit-code N, --stderr FILE, --fail-on-error, --help/],
    [["pretty", "a", "--exit-code", "1"], /unknown option "--exit-code" for claude-stream pretty/],
    [["explain", "a"], /unknown command "explain": expected summary or pretty/],
    [[], /missing command/],
  ])("exits 2 on bad arguments: %j", async (args, message) => {
    const { code, stdout, stderr } = await cli(args);
    expect(code).toBe(EXIT_USAGE);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/Run claude-stream --help for usage/);
  });

  it("exits 2 with the reason when the input cannot be read", async () => {
    const missing = await cli(["summary", path.join(fixturesDir, "no-such.jsonl")]);
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.stderr).toMatch(/cannot read ".*no-such\.jsonl": no such file \(ENOENT\)\. Pass a readable stream-json file, or - for stdin\./);
    const directory = await cli(["pretty", fixturesDir]);
    expect(directory.code).toBe(EXIT_USAGE);
    expect(directory.stderr).toMatch(/it is a directory \(EISDIR\)/);
    const stderrFile = await cli(["summary", fixture("text-only"), "--stderr", "/no/such/file"]);
    expect(stderrFile.stderr).toMatch(/cannot read --stderr "\/no\/such\/file": no such file/);
  });

  it("prints usage for --help", async () => {
    for (const args of [["--help"], ["-h"], ["summary", "--help"]]) {
      const { code, stdout } = await cli(args);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage:\n {2}claude-stream summary <file\|-> \[--exit-code N\] \[--stderr FILE\]/);
    }
  });
});

describe("claude-stream pretty", () => {
  it("prints a readable transcript without colour when stdout is not a terminal", async () => {
    const { code, stdout } = await cli(["pretty", fixture("tool-then-text")]);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/\u001b\[/);
    expect(stdout).toMatch(/^── session 73dec4e9-ff02-47d7-a434-67b161b7c956 · model claude-opus-5-5\nassistant Running Bash\.\n→ Bash \{"command":"seq 1 3334","description":"print numbers"\}\n←\n {2}1\n/);
    expect(stdout).toMatch(/… 3322 more lines …/);
    expect(stdout).toMatch(/══ result success · in 78014 out 59 cached 0 · \$0\.3132\nAll done: the task is complete\.\n$/);
  });

  it("colours only on a terminal, and not when NO_COLOR is set", async () => {
    expect((await cli(["pretty", fixture("text-only")], { isTTY: true })).stdout).toMatch(/\u001b\[1massistant\u001b\[0m/);
    expect((await cli(["pretty", fixture("text-only")], { isTTY: true, env: { NO_COLOR: "1" } })).stdout).not.toMatch(/\u001b\[/);
  });
});
