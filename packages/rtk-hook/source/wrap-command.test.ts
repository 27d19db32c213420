import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { shellFastPathBytes, wrapCommand } from "./wrap-command.ts";

// The rewritten command is run by a real bash the way Claude Code 2.1.330 runs a Bash tool
// call: `bash -c "eval '<command>' < /dev/null && pwd -P >| <file>"`, stdout and stderr on
// one file (merged) or two.

// Every test spawns processes: on a loaded machine that takes seconds, not a sign of a bug.
vi.setConfig({ testTimeout: 30_000 });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "rtk-hook-wrap-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function runLikeClaude(command: string, options: { merged?: boolean; cwd?: string } = {}) {
  const script = `eval "$RTK_TEST_COMMAND" < /dev/null && pwd -P >| "$RTK_TEST_PWD"`;
  const env = { PATH: process.env.PATH ?? "", TMPDIR: dir, RTK_TEST_COMMAND: command, RTK_TEST_PWD: join(dir, "pwd") };
  if (options.merged) {
    const result = spawnSync("bash", ["-c", `{ ${script}; } 2>&1`], { cwd: options.cwd ?? dir, encoding: "utf8", env });
    return { status: result.status, stdout: result.stdout, stderr: "" };
  }
  const result = spawnSync("bash", ["-c", script], { cwd: options.cwd ?? dir, encoding: "utf8", env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const wrapped = (command: string, reducer: string) => {
  const decision = wrapCommand(command, reducer);
  if (decision.status !== "wrapped") throw new Error(`not wrapped: ${decision.reason}`);
  return decision.command;
};

// A reducer that marks what it printed, and one that fails before printing anything.
const markingReducer = `sh -c 'd=$2; printf "[reduced]"; cat "$d/stdout"; cat "$d/stderr" >&2; rm -rf "$d"' reducer`;
const failingReducer = "false";

describe("wrapCommand: what it leaves alone", () => {
  it.each([
    ["", "empty command"],
    ["npm run dev &", "starts a background job"],
    ["sleep 5 & wait", "starts a background job"],
    ["exec node server.js", "uses exec or trap"],
    ["cd x; exec 3>log", "uses exec or trap"],
    ["trap 'rm -f x' EXIT; make", "uses exec or trap"],
    ["vim notes.md", "interactive"],
    ["tail -f app.log", "interactive"],
  ])("%j: %s", (command, reason) => {
    expect(wrapCommand(command, "reducer")).toEqual({ status: "passed-through", reason });
  });

  it("leaves run_in_background commands and already wrapped ones alone", () => {
    expect(wrapCommand("npm test", "reducer", { runInBackground: true }).status).toBe("passed-through");
    expect(wrapCommand(wrapped("npm test", "reducer"), "reducer")).toEqual({ status: "passed-through", reason: "already wrapped" });
  });

  it.each(["make && make test", "cmd >/dev/null 2>&1", "cmd &>log", "cmd |& tee log", "echo 'a & b' \"exec\"", "find . -exec rm {} +", "docker exec app ls", "curl 'https://x.test/?a=1&b=2'"])(
    "wraps %j (no background job, no exec)",
    (command) => {
      expect(wrapCommand(command, "reducer").status).toBe("wrapped");
    },
  );
});

describe("wrapCommand: what it adds", () => {
  // Claude Code (2.1.330) runs a command without an input redirection with stdin from
  // /dev/null, and one with a `<` with its own stdin: a prologue with `<` made `read` wait
  // until Claude's 120 s timeout (seen with the real CLI).
  it("adds no input redirection: the command's own text decides what Claude does with stdin", () => {
    const added = wrapped("echo hi", "node /opt/claude-rtk-hook.cjs").replace(/\necho hi$/, "");
    expect(added).not.toContain("<");
  });
});

describe("wrapCommand: the rewritten command in a real shell", () => {
  it("hands larger outputs to the reducer and keeps the exit status", () => {
    const result = runLikeClaude(wrapped(`seq 1 3000; echo oops >&2; exit 3`, markingReducer));
    expect(result.status).toBe(3);
    expect(result.stdout.startsWith("[reduced]1\n2\n")).toBe(true);
    expect(result.stderr.endsWith("oops\n")).toBe(true); // after any noise of the machine's shell start-up files
    expect(readdirSync(dir).filter((name) => name.startsWith("claude-rtk-"))).toEqual([]); // the reducer removed it
  });

  it("keeps stdout and stderr interleaved when Claude reads them as one stream", () => {
    const result = runLikeClaude(wrapped("for i in $(seq 1 400); do echo out $i; echo err $i >&2; done", markingReducer), { merged: true });
    const expected = Array.from({ length: 400 }, (_, n) => `out ${n + 1}\nerr ${n + 1}\n`).join("");
    expect(result.stdout).toBe(`[reduced]${expected}`);
  });

  it("keeps the working directory a `cd` chose, for Claude's next call", () => {
    const result = runLikeClaude(wrapped("mkdir -p sub && cd sub && seq 1 3000 | tail -1", markingReducer));
    expect(result.status).toBe(0);
    expect(spawnSync("cat", [join(dir, "pwd")], { encoding: "utf8" }).stdout.trim()).toMatch(/\/sub$/);
  });

  it("prints the output as it is when the reducer fails", () => {
    const result = runLikeClaude(wrapped("seq 1 3000; exit 4", failingReducer));
    expect(result.status).toBe(4);
    expect(result.stdout).toBe(`${Array.from({ length: 3000 }, (_, n) => n + 1).join("\n")}\n`);
  });

  it("gives any command the same output, streams and exit status as unwrapped when nothing is reduced (property)", () => {
    const line = fc.stringMatching(/^[a-z0-9 ]{0,30}$/);
    const step = fc.oneof(
      line.map((text) => `echo '${text}'`),
      line.map((text) => `echo '${text}' >&2`),
      fc.constantFrom("cd /", "export X=1; echo $X", "false", "true", "printf 'no newline'", "cat <<'EOF'\nheredoc $X\nEOF", "(exit 9)", "read x; echo \"[$x]\"", "sh -c 'kill -TERM $$'"),
      fc.integer({ min: 1, max: 3000 }).map((count) => `seq 1 ${count}`),
    );
    const ending = fc.constantFrom("", "\nexit 5", "\nexit 0", "\nfalse");
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 5 }), ending, fc.boolean(), (steps, end, merged) => {
        const command = `${steps.join("\n")}${end}`;
        // The failing reducer prints nothing: what arrives is the shell's own fallback, i.e. the raw output.
        expect(runLikeClaude(wrapped(command, failingReducer), { merged })).toEqual(runLikeClaude(command, { merged }));
      }),
      // Each run starts a dozen processes; a loaded machine makes that slow, not wrong.
      { numRuns: 10 },
    );
  }, 600_000);

  it("prints small outputs without starting the reducer", () => {
    const small = "x".repeat(shellFastPathBytes - 1);
    expect(runLikeClaude(wrapped(`echo ${small}`, markingReducer)).stdout).toBe(`${small}\n`);
  });
});
