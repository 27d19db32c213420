// The real bin in a real process: exit statuses, stdin, pipes closed early, a long transcript.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fixturesDir, longTranscript, packageDir, readFixture } from "./test-utils/fixtures.ts";

const cliPath = path.join(packageDir, "source", "cli.ts");

function run(args: string[], input?: Uint8Array | string, shell?: string) {
  const result = shell
    ? spawnSync("bash", ["-c", shell], { cwd: packageDir, encoding: "utf8", input })
    : spawnSync(process.execPath, [cliPath, ...args], { cwd: packageDir, encoding: "utf8", input, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("claude-stream (process)", () => {
  it("summarises stdin and exits 0", () => {
    const { status, stdout, stderr } = run(["summary", "-", "--exit-code", "1"], readFixture("overloaded-529"));
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(JSON.parse(stdout).outcome).toMatchObject({ code: "claude_transient_upstream", errorFamily: "transient_upstream" });
  });

  it("exits 2 with a clear message for unreadable input and bad flags", () => {
    const missing = run(["summary", "nope.jsonl"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^claude-stream: cannot read "nope\.jsonl": no such file \(ENOENT\)/);
    const badFlag = run(["summary", path.join(fixturesDir, "text-only.jsonl"), "--exit-code", "-1"]);
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr).toMatch(/--exit-code must be the CLI's exit status/);
  });

  it("stops quietly when the reader closes the pipe early", () => {
    const { status, stderr } = run([], undefined, `"${process.execPath}" "${cliPath}" pretty "${path.join(fixturesDir, "tool-then-text.jsonl")}" | head -n 2 >/dev/null; exit \${PIPESTATUS[0]}`);
    expect(stderr).toBe("");
    expect(status).toBe(0);
  });

  it("summarises the long transcript", () => {
    const { bytes } = longTranscript();
    const { status, stdout } = run(["summary", "-", "--exit-code", "0"], bytes);
    expect(status).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.outcome.code).toBe("success");
    expect(json.numTurns).toBeGreaterThan(100);
  });
});
