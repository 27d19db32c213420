import { spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { hookFixture } from "./test-utils/fixtures.ts";

// The bin run from its sources (Node >= 22.18 strips the types); the built single file is
// exercised by the e2e tests.
const cli = new URL("./cli.ts", import.meta.url).pathname;
// Node 20 (the pure packages' second test pass) cannot run .ts files; the core still runs there.
const canRunTypeScript = Boolean((process.features as { typescript?: unknown }).typescript);

function run(args: string[], stdin = "", env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], { input: stdin, encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Every test spawns processes: on a loaded machine that takes seconds, not a sign of a bug.
vi.setConfig({ testTimeout: 30_000 });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rtk-hook-cli-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bigBashEvent = (stdout: string, extra: Record<string, unknown> = {}) => {
  const event = hookFixture("bash-small");
  return JSON.stringify({ ...event, tool_response: { ...(event.tool_response as object), stdout, ...extra } });
};
const log = Array.from({ length: 5000 }, (_, n) => `npm http fetch GET 200 https://registry.test/pkg-${n} 12ms`).join("\n");

describe.skipIf(!canRunTypeScript)("claude-rtk-hook as a hook", () => {
  it("answers a large Bash result with updatedToolOutput in the tool's shape", () => {
    const { code, stdout } = run(["--max-bytes", "4000"], bigBashEvent(log));
    expect(code).toBe(0);
    const answer = JSON.parse(stdout);
    expect(answer.hookSpecificOutput.hookEventName).toBe("PostToolUse");
    expect(Object.keys(answer.hookSpecificOutput.updatedToolOutput)).toEqual(["stdout", "stderr", "interrupted", "isImage", "noOutputExpected"]);
    expect(Buffer.byteLength(answer.hookSpecificOutput.updatedToolOutput.stdout)).toBeLessThanOrEqual(4000);
  });

  it("prints nothing when there is nothing to cut", () => {
    expect(run([], JSON.stringify(hookFixture("bash-small")))).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("reads the persisted full output so the tail it keeps is the real one", () => {
    const file = join(dir, "persisted.txt");
    const build = Array.from({ length: 5000 }, (_, n) => `compiling module ${n} of 5000`).join("\n");
    writeFileSync(file, `${build}\nTHE REAL LAST LINE`);
    const { stdout } = run([], bigBashEvent(build.slice(0, 30_000), { persistedOutputPath: file, persistedOutputSize: 999 }));
    const output = JSON.parse(stdout).hookSpecificOutput.updatedToolOutput;
    expect(output.stdout.endsWith("THE REAL LAST LINE")).toBe(true);
    expect(output.stdout).toContain(`Full output: ${file}`);
    expect(output).not.toHaveProperty("persistedOutputPath");
  });

  it("honours BASH_MAX_OUTPUT_LENGTH as Claude Code's inline limit", () => {
    const { stdout } = run(["--max-bytes", "100000"], bigBashEvent(log), { BASH_MAX_OUTPUT_LENGTH: "8000" });
    expect(Buffer.byteLength(JSON.parse(stdout).hookSpecificOutput.updatedToolOutput.stdout)).toBeLessThanOrEqual(8000);
  });

  it.each([
    ["not JSON", [], "{oops", /stdin is not JSON/],
    ["an array", [], "[]", /not a hook event object/],
    ["no tool_response", [], JSON.stringify({ hook_event_name: "PostToolUse", tool_name: "Bash" }), /has no tool_response/],
    ["a bad --max-bytes", ["--max-bytes", "12"], bigBashEvent(log), /--max-bytes must be an integer >= 1000, got "12"/],
    ["an unknown flag", ["--max-byte", "5000"], bigBashEvent(log), /Unknown option '--max-byte'/],
  ])("never breaks the tool call on %s: no stdout, exit 0, reason on stderr", (_name, args, stdin, message) => {
    const { code, stdout, stderr } = run(args as string[], stdin as string);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message as RegExp);
  });

  it("leaves the output of a rewritten command alone: it was reduced inside the command", () => {
    const event = JSON.parse(bigBashEvent(log));
    const rewritten = JSON.parse(run([], JSON.stringify({ hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command: "npm ci" } })).stdout).hookSpecificOutput.updatedInput;
    expect(run(["--max-bytes", "4000"], JSON.stringify({ ...event, tool_input: rewritten }))).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(run(["--max-bytes", "4000"], JSON.stringify(event)).stdout).not.toBe("");
  });

  it("answers nothing to a PreToolUse event without a Bash command, or for another tool", () => {
    expect(run([], JSON.stringify({ hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: {} }))).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(run([], JSON.stringify({ hook_event_name: "PreToolUse", tool_name: "Read", tool_input: { file_path: "/x" } }))).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(run([], JSON.stringify({ hook_event_name: "Stop" }))).toEqual({ code: 0, stdout: "", stderr: "" });
  });
});

describe.skipIf(!canRunTypeScript)("claude-rtk-hook as a PreToolUse hook, and reduce-output", () => {
  const preToolUse = (command: string) =>
    JSON.stringify({ hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command, description: "run it", timeout: 60000 }, tool_use_id: "toolu_1" });

  it("rewrites a Bash command, keeping the other inputs, and leaves the permission decision to Claude", () => {
    const { code, stdout } = run(["--max-bytes", "6000"], preToolUse("npm test"));
    expect(code).toBe(0);
    const answer = JSON.parse(stdout).hookSpecificOutput;
    expect(answer.hookEventName).toBe("PreToolUse");
    expect(answer.permissionDecision).toBeUndefined();
    expect(answer.updatedInput).toMatchObject({ description: "run it", timeout: 60000 });
    expect(answer.updatedInput.command).toMatch(/\nnpm test$/);
    // The reducer is this bin, called back with the same budgets.
    expect(answer.updatedInput.command).toContain(`${process.execPath} ${cli} --max-bytes 6000 reduce-output`);
  });

  it("runs a failing command through the rewrite: reduced output, full output in a file named by the marker, exit status kept", () => {
    const { stdout: answer } = run([], preToolUse("for i in $(seq 1 3000); do echo \"step $i done\"; done; echo 'src/a.ts(1,2): error TS2304: Cannot find name x' >&2; exit 2"));
    const command = JSON.parse(answer).hookSpecificOutput.updatedInput.command;
    const tee = join(dir, "tee");
    const result = spawnSync("bash", ["-c", `eval "$C" < /dev/null`], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", C: command, CLAUDE_RTK_TEE_DIR: tee, TMPDIR: dir } });
    expect(result.status).toBe(2);
    expect(result.stdout.startsWith("step 1 done\n")).toBe(true);
    expect(result.stdout.endsWith("step 3000 done\n")).toBe(true);
    expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(4000);
    expect(result.stderr.endsWith("\nsrc/a.ts(1,2): error TS2304: Cannot find name x\n") || result.stderr === "src/a.ts(1,2): error TS2304: Cannot find name x\n").toBe(true);
    const path = /Full output: (\S+?)\]/.exec(result.stdout)?.[1];
    expect(path?.startsWith(`${tee}/`)).toBe(true);
    const full = readFileSync(path!, "utf8");
    expect(full.split("\n").filter((line) => line.startsWith("step "))).toHaveLength(3000);
    expect(full).toContain("error TS2304");
    expect(readdirSync(dir).sort()).toEqual(["tee"]); // the capture directory is gone
  });

  // A shared temporary directory: another user's (or a world-writable) directory must not
  // receive the full output, and the output is still reduced (the pod's run caught this).
  it.each([
    ["writable by other users", (tee: string) => spawnSync("bash", ["-c", `mkdir -p ${tee} && chmod 777 ${tee}`])],
    ["a symbolic link", (tee: string) => spawnSync("bash", ["-c", `mkdir -p ${tee}-real && ln -s ${tee}-real ${tee}`])],
  ])("reduce-output still reduces when the tee directory is %s, and saves nothing there", (_, prepare) => {
    const tee = join(dir, "tee");
    prepare(tee);
    const capture = join(dir, "capture");
    spawnSync("bash", ["-c", `mkdir -p ${capture} && seq 1 20000 > ${capture}/stdout && echo 'error: link failed' > ${capture}/stderr`]);
    const result = run(["reduce-output", capture], "", { CLAUDE_RTK_TEE_DIR: tee });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^1\n2\n/);
    expect(result.stdout).toContain("The full output was not saved");
    expect(Buffer.byteLength(result.stdout)).toBeLessThan(30_000);
    expect(result.stderr).toBe("error: link failed\n");
    expect(readdirSync(tee)).toEqual([]);
  });

  it("reduce-output prints the output unreduced when its flags are bad", () => {
    const capture = join(dir, "capture");
    spawnSync("bash", ["-c", `mkdir -p ${capture} && seq 1 5000 > ${capture}/stdout && : > ${capture}/stderr`]);
    const result = run(["reduce-output", "--max-bytes", "x", capture]);
    expect(result.stdout).toBe(`${Array.from({ length: 5000 }, (_, n) => n + 1).join("\n")}\n`);
    expect(result.stderr).toMatch(/--max-bytes must be an integer/);
  });
});

describe.skipIf(!canRunTypeScript)("claude-rtk-hook install / uninstall / settings-json", () => {
  const original = `${JSON.stringify(
    {
      model: "opus",
      hooks: { PostToolUse: [{ matcher: "Write", hooks: [{ type: "command", command: "prettier --write" }] }], Stop: [{ hooks: [{ type: "command", command: "say done" }] }] },
    },
    null,
    2,
  )}\n`;

  it("installs idempotently and uninstalls back to the same file", () => {
    const settings = join(dir, "settings.json");
    writeFileSync(settings, original);
    const command = "node /opt/claude-rtk-hook.js";
    expect(run(["install", "--settings", settings, "--max-bytes", "20000", "--command", command]).code).toBe(0);
    const installed = readFileSync(settings, "utf8");
    expect(JSON.parse(installed).hooks.PostToolUse[1]).toEqual({ matcher: "*", hooks: [{ type: "command", command: `${command} --max-bytes 20000`, timeout: 30 }] });
    expect(run(["install", "--settings", settings, "--max-bytes", "20000", "--command", command]).code).toBe(0);
    expect(readFileSync(settings, "utf8")).toBe(installed);
    expect(run(["uninstall", "--settings", settings]).code).toBe(0);
    expect(readFileSync(settings, "utf8")).toBe(original);
    expect(readdirSync(dir)).toEqual(["settings.json"]); // no temp files left behind
  });

  it("--dry-run prints the change as a diff and writes nothing", () => {
    const settings = join(dir, "settings.json");
    writeFileSync(settings, original);
    const { code, stdout, stderr } = run(["install", "--dry-run", "--settings", settings, "--command", "claude-rtk-hook"]);
    expect(code).toBe(0);
    expect(stdout).toContain(`--- ${settings}\n`);
    expect(stdout).toContain('+    "PreToolUse": [');
    expect(stdout).toContain('+            "command": "claude-rtk-hook",');
    expect(stdout.split("\n").filter((line) => line.startsWith("-") && !line.startsWith("---"))).toEqual([]);
    expect(stderr).toMatch(/dry run, .*settings.json not written/);
    expect(readFileSync(settings, "utf8")).toBe(original);
    expect(run(["install", "--settings", settings, "--command", "claude-rtk-hook"]).code).toBe(0);
    expect(run(["uninstall", "--dry-run", "--settings", settings]).stdout).toContain('-    "PreToolUse": [');
    expect(JSON.parse(readFileSync(settings, "utf8")).hooks.PreToolUse).toHaveLength(1);
  });

  it("names the settings file and the fix when it holds hooks it cannot merge, and leaves it alone", () => {
    const settings = join(dir, "settings.json");
    const text = JSON.stringify({ hooks: { PreToolUse: "guard.sh" } });
    writeFileSync(settings, text);
    const { code, stderr } = run(["install", "--settings", settings, "--command", "claude-rtk-hook"]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${settings}: settings "hooks.PreToolUse" must be an array of matcher groups`);
    expect(stderr).toContain("fix it by hand first");
    expect(readFileSync(settings, "utf8")).toBe(text);
  });

  it.each([
    [{ hooks: { PostToolUse: [{ matcher: "*", hooks: { type: "command", command: "claude-rtk-hook" } }] } }, 'settings "hooks.PostToolUse[0]" must be a matcher group'],
    [{ hooks: { PreToolUse: ["guard.sh"] } }, 'settings "hooks.PreToolUse[0]" must be a matcher group {"matcher": ..., "hooks": [...]}, got "guard.sh"'],
    [{ hooks: [] }, 'settings "hooks" must be an object'],
    [[], "settings must be a JSON object, got an array"],
  ])("install and uninstall refuse hooks in a shape they do not understand (%j), naming the file and the fix, and leave it alone", (content, message) => {
    const settings = join(dir, "settings.json");
    const text = JSON.stringify(content);
    writeFileSync(settings, text);
    for (const command of [["install", "--settings", settings, "--command", "claude-rtk-hook"], ["uninstall", "--settings", settings]]) {
      const { code, stderr } = run(command);
      expect(code).toBe(1);
      expect(stderr).toContain(`${settings}: ${message}`);
      expect(stderr).toMatch(/fix it by hand first|got an array/);
      expect(readFileSync(settings, "utf8")).toBe(text);
    }
    expect(readdirSync(dir)).toEqual(["settings.json"]);
  });

  it("refuses a settings file it cannot read, naming it and the fix", () => {
    const settings = join(dir, "settings.json");
    mkdirSync(settings); // a directory: unreadable as a file, for root too
    const { code, stderr } = run(["install", "--settings", settings, "--command", "claude-rtk-hook"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`cannot read ${settings} \\(.*EISDIR.*\\); make it a file you can read, or pass another with --settings`));
    expect(readdirSync(settings)).toEqual([]);
  });

  it("refuses unknown options and bad values before touching anything", () => {
    const settings = join(dir, "settings.json");
    writeFileSync(settings, original);
    expect(run(["install", "--settings", settings, "--max-byte", "5000"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/Unknown option '--max-byte'/) });
    expect(run(["install", "--settings", settings, "--target-bytes", "-5", "--command", "claude-rtk-hook"])).toMatchObject({ code: 2 });
    expect(run(["install", "--settings", settings, "--command", "node /opt/other-hook.js"])).toMatchObject({ code: 1, stderr: expect.stringContaining("must name claude-rtk-hook") });
    expect(run(["gain", "--days", "0"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--days must be a whole number of days >= 1") });
    expect(readFileSync(settings, "utf8")).toBe(original);
    expect(readdirSync(dir)).toEqual(["settings.json"]);
  });

  it("keeps a symlinked settings file a symlink, and changes the file it points at", () => {
    const real = join(dir, "dotfiles", "claude-settings.json");
    mkdirSync(dirname(real));
    writeFileSync(real, original);
    const settings = join(dir, "settings.json");
    symlinkSync(real, settings);
    expect(run(["install", "--settings", settings, "--command", "claude-rtk-hook"]).code).toBe(0);
    expect(lstatSync(settings).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(real, "utf8")).hooks.PreToolUse).toHaveLength(1);
    expect(run(["uninstall", "--settings", settings]).code).toBe(0);
    expect(lstatSync(settings).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, "utf8")).toBe(original);
    expect(readdirSync(dirname(real))).toEqual(["claude-settings.json"]);
  });

  it("gain sums the bytes cut in the transcripts under $CLAUDE_CONFIG_DIR/projects", () => {
    const project = join(dir, "config", "projects", "-work");
    mkdirSync(project, { recursive: true });
    const result = (content: string) => JSON.stringify({ type: "user", message: { content: [{ type: "tool_result", content }] } });
    writeFileSync(join(project, "a.jsonl"), `${result("[rtk-hook: cut 10 of 20 lines (6000 of 8000 bytes) here.]")}\n${result("ok")}\n`);
    const { code, stdout } = run(["gain", "--days", "7"], "", { CLAUDE_CONFIG_DIR: join(dir, "config") });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1 session in the last 7 days: 2 tool results, 1 cut by rtk-hook; 6\.0 KB of their 8\.0 KB cut \(75%\)/);
    expect(run(["gain"], "", { CLAUDE_CONFIG_DIR: join(dir, "nowhere") })).toMatchObject({ code: 1, stderr: expect.stringMatching(/cannot read Claude Code's transcripts in .*nowhere\/projects .*set CLAUDE_CONFIG_DIR/) });
  });

  it("uses $CLAUDE_CONFIG_DIR/settings.json by default and creates it", () => {
    expect(run(["install", "--command", "claude-rtk-hook"], "", { CLAUDE_CONFIG_DIR: join(dir, "config") }).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "config", "settings.json"), "utf8")).hooks.PostToolUse).toHaveLength(1);
  });

  it("refuses to overwrite a settings file that is not valid JSON", () => {
    const settings = join(dir, "settings.json");
    writeFileSync(settings, "{ broken");
    const { code, stderr } = run(["install", "--settings", settings, "--command", "claude-rtk-hook"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/settings.json is not valid JSON .*fix or move it/);
    expect(readFileSync(settings, "utf8")).toBe("{ broken");
  });

  it("prints a settings document for claude --settings", () => {
    const { code, stdout } = run(["settings-json", "--max-bytes", "8000", "--command", "node /opt/claude-rtk-hook.js"]);
    expect(code).toBe(0);
    const hook = { type: "command", command: "node /opt/claude-rtk-hook.js --max-bytes 8000", timeout: 30 };
    expect(JSON.parse(stdout)).toEqual({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [hook] }], PostToolUse: [{ matcher: "*", hooks: [hook] }] } });
  });

  it("passes both budgets on to the hook command it registers", () => {
    const { code, stdout } = run(["settings-json", "--max-bytes", "20000", "--persisted-max-bytes", "4000", "--command", "claude-rtk-hook"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).hooks.PostToolUse[0].hooks[0].command).toBe("claude-rtk-hook --max-bytes 20000 --persisted-max-bytes 4000");
    expect(run(["settings-json", "--persisted-max-bytes", "12"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--persisted-max-bytes must be an integer >= 1000, got "12"/) });
  });

  it("explains usage errors with exit status 2", () => {
    expect(run(["instal"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command "instal"/) });
    expect(run(["install", "--max-bytes", "x", "--command", "claude-rtk-hook"])).toMatchObject({ code: 2 });
    expect(run(["--help"])).toMatchObject({ code: 0, stdout: expect.stringContaining("install [--settings FILE]") });
  }, 30_000);
});
