import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildContainerCommand } from "./container-command.ts";
import { kubeletExpand } from "./test-utils/kubelet-expand.ts";
import { isWellFormed } from "./test-utils/well-formed.ts";

// The generated command runs under real shells: Debian's dash (no pipefail) and busybox ash
// (Alpine-style images). A missing shell fails the test: a skipped shell proves nothing.
function findBusybox(): string | undefined {
  return ["/usr/bin/busybox", "/bin/busybox", "/usr/local/bin/busybox"].find((path) => existsSync(path));
}

const shells: { name: string; argv: () => string[] }[] = [
  {
    name: "dash",
    argv: () => {
      if (!existsSync("/usr/bin/dash")) throw new Error("/usr/bin/dash is missing: install it (apt-get install -y dash)");
      return ["/usr/bin/dash"];
    },
  },
  {
    name: "busybox sh",
    argv: () => {
      const busybox = findBusybox();
      if (!busybox) {
        throw new Error("busybox is not installed: run `apt-get install -y busybox` (./dev should install it for this test)");
      }
      return [busybox, "sh"];
    },
  },
];

let dir: string;
let binDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "manifest-cmd-"));
  binDir = join(dir, "bin");
  spawnSync("mkdir", ["-p", binDir]);
  // A stand-in claude: records its arguments NUL-separated and its stdin, exits as told.
  const standIn = join(binDir, "claude");
  writeFileSync(
    standIn,
    '#!/bin/sh\nfor arg in "$@"; do printf \'%s\\0\' "$arg"; done > "$ARGV_OUT"\ncat > "$STDIN_OUT"\nexit "$EXIT_CODE"\n',
  );
  chmodSync(standIn, 0o755);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  status: number | null;
  args: string[] | undefined;
  stdin: string | undefined;
}

function runInShell(shell: string[], argv: string[], promptFile: string, exitCode: number): Outcome {
  const { command, args } = buildContainerCommand(argv, promptFile);
  // What the container runtime executes: the kubelet-expanded command + args, with the shell swapped in.
  const full = [...command, ...args].map((part) => kubeletExpand(part, { HOME: "/home/expanded" }));
  expect(full[0]).toBe("/bin/sh");
  const argvOut = join(dir, "argv.out");
  const stdinOut = join(dir, "stdin.out");
  rmSync(argvOut, { force: true });
  rmSync(stdinOut, { force: true });
  const result = spawnSync(shell[0]!, [...shell.slice(1), ...full.slice(1)], {
    env: { PATH: `${binDir}:/usr/bin:/bin`, ARGV_OUT: argvOut, STDIN_OUT: stdinOut, EXIT_CODE: String(exitCode) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const argsText = existsSync(argvOut) ? readFileSync(argvOut, "utf8") : undefined;
  return {
    status: result.status,
    args: argsText === undefined ? undefined : argsText === "" ? [] : argsText.slice(0, -1).split("\0"),
    stdin: existsSync(stdinOut) ? readFileSync(stdinOut, "utf8") : undefined,
  };
}

const awkwardPiece = fc.constantFrom(
  "'",
  '"',
  "$",
  "$$",
  "$(HOME)",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, on purpose
  "${HOME}",
  "`id`",
  "\\",
  "\n",
  "\t",
  " ",
  "-",
  "--",
  "*",
  "~",
  "é",
  "😀",
  "\u2028",
  ";exit 7",
  "&&",
  "|",
  "<",
);
const argArbitrary = fc
  .array(fc.oneof(awkwardPiece, fc.string({ unit: "binary", maxLength: 12 })), { maxLength: 5 })
  .map((pieces) => pieces.join(""))
  .filter((arg) => !arg.includes("\0") && isWellFormed(arg));

describe.each(shells)("the container command under $name", ({ argv: shellArgv }) => {
  it("gives claude exactly its arguments, the prompt on stdin, and claude's exit status", () => {
    const shell = shellArgv();
    const promptFile = join(dir, "prompt.txt");
    fc.assert(
      fc.property(
        fc.array(argArbitrary, { maxLength: 8 }),
        fc.integer({ min: 0, max: 255 }),
        fc.string({ unit: "binary", maxLength: 200 }).filter((text) => !text.includes("\0") && isWellFormed(text)),
        (args, exitCode, prompt) => {
          writeFileSync(promptFile, prompt);
          const outcome = runInShell(shell, ["claude", ...args], promptFile, exitCode);
          expect(outcome.args).toEqual(args);
          expect(outcome.stdin).toBe(prompt);
          expect(outcome.status).toBe(exitCode);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("fails without running claude when the prompt file is missing", () => {
    const outcome = runInShell(shellArgv(), ["claude", "--print"], join(dir, "no-such-prompt.txt"), 0);
    expect(outcome.status).not.toBe(0);
    expect(outcome.args).toBeUndefined();
  });

  it("reports 127 when claude is not on PATH (not a success)", () => {
    const promptFile = join(dir, "prompt.txt");
    writeFileSync(promptFile, "hi");
    const outcome = runInShell(shellArgv(), ["claude-missing-binary", "--print"], promptFile, 0);
    expect(outcome.status).toBe(127);
  });
});

describe("buildContainerCommand", () => {
  it("keeps arguments out of the script and escapes $ against kubelet expansion", () => {
    const { command, args } = buildContainerCommand(["claude", "$(HOME)", "a'b"], "/var/run/claude-k8s/prompt.txt");
    expect(command).toEqual(["/bin/sh", "-c", `exec "$$@" < '/var/run/claude-k8s/prompt.txt'`, "sh"]);
    expect(args).toEqual(["claude", "$$(HOME)", "a'b"]);
  });

  it("refuses a prompt path that would need quoting inside the script", () => {
    expect(() => buildContainerCommand(["claude"], "/tmp/it's.txt")).toThrow(/must be absolute and plain/);
    expect(() => buildContainerCommand(["claude"], "relative.txt")).toThrow(/must be absolute/);
  });
});
