// node corpus/capture.ts: runs real tools on real inputs and saves what they print (stdout and
// stderr merged, as Claude Code reads them) under corpus/outputs/, with corpus/corpus.json
// listing each output's family, command, exit status and split. The bench reads them back.
// Tools: git (this repository), node/npm/pnpm, vitest and tsc (this workspace), eslint (from
// npm, installed into a scratch project), go, gcc and make, python3-pytest and apt-get
// (Debian; the capture reinstalls python3-pytest, so it runs as root); an item whose tool is
// missing is skipped.
// `node corpus/capture.ts ID...` captures only those items and keeps every other one as it
// is (adding a tool must not re-roll the outputs the filters were tuned on).
// "held-out" items are never looked at while tuning the filters; the bench reports them apart.
import { execSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { CorpusEntry } from "../source/test-utils/corpus.ts";

const packageDir = new URL("../", import.meta.url).pathname;
const repoRoot = new URL("../../../", import.meta.url).pathname;
const outputs = join(packageDir, "corpus", "outputs");
/** Outputs are cut here before saving: the corpus stays a few MB, and Claude persists anything over 30 KB anyway. */
const maxSavedBytes = 400_000;

const require = createRequire(import.meta.url);
const tsc = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");
const vitest = join(repoRoot, "node_modules", ".bin", "vitest");
const work = mkdtempSync(join(tmpdir(), "rtk-corpus-"));
/** eslint from npm, pinned so that a re-capture gives the same messages. */
const eslintVersion = "10.16.0";
const only = new Set(process.argv.slice(2));

type Item = { id: string; family: string; split?: "held-out"; command: string; cwd?: string; needs?: string };

function write(path: string, text: string) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function setUpProjects() {
  // JS tests: node --test and vitest, one passing and one failing file each.
  const cases = (fail: boolean) =>
    Array.from({ length: 120 }, (_, n) => {
      const broken = fail && n % 29 === 11;
      return `test("formats duration case ${n}", () => { assert.equal(format(${n * 1000}), "${broken ? `${n}.0 s` : `${n}s`}"); });`;
    }).join("\n");
  const formatSource = `const format = (ms) => \`\${ms / 1000}s\`;`;
  for (const fail of [false, true]) {
    const dir = join(work, fail ? "js-fail" : "js-pass");
    write(join(dir, "format.test.mjs"), `import { test } from "node:test";\nimport assert from "node:assert/strict";\n${formatSource}\n${cases(fail)}\n`);
    write(join(dir, "format.test.ts"), `import { test, expect as e } from "vitest";\nconst assert = { equal: (a: unknown, b: unknown) => e(a).toBe(b) };\n${formatSource}\n${cases(fail)}\n`);
    write(join(dir, "vitest.config.mjs"), "export default { test: { include: ['*.test.ts'] } };\n");
    // pytest
    const py = Array.from({ length: 80 }, (_, n) => `def test_parse_${n}():\n    assert parse("${n}") == ${fail && n % 23 === 5 ? n + 1 : n}\n`).join("\n");
    write(join(dir, "test_parse.py"), `def parse(text):\n    return int(text)\n\n${py}`);
    // go test
    write(join(dir, "gomod", "go.mod"), "module example.test/parse\n\ngo 1.21\n");
    write(join(dir, "gomod", "parse.go"), "package parse\n\nimport \"strconv\"\n\nfunc Parse(s string) int { n, _ := strconv.Atoi(s); return n }\n");
    const goTests = Array.from({ length: 60 }, (_, n) => `func TestParse${n}(t *testing.T) {\n\tif got := Parse("${n}"); got != ${fail && n % 19 === 4 ? n + 1 : n} {\n\t\tt.Errorf("Parse(%q) = %d, want %d", "${n}", got, ${fail && n % 19 === 4 ? n + 1 : n})\n\t}\n}\n`).join("\n");
    write(join(dir, "gomod", "parse_test.go"), `package parse\n\nimport "testing"\n\n${goTests}`);
    // make + gcc
    const files = Array.from({ length: 14 }, (_, n) => `unit${n}`);
    for (const [n, name] of files.entries()) {
      const bad = fail && n % 5 === 2;
      write(join(dir, "c", `${name}.c`), `#include <stdio.h>\nint ${name}(int x) {\n  int unused_${n};\n  ${bad ? `return undefined_${n}(x) + missing;` : "return x + 1;"}\n}\n`);
    }
    write(join(dir, "c", "Makefile"), `CFLAGS = -Wall -Wextra -O2\nOBJS = ${files.map((f) => `${f}.o`).join(" ")}\nall: $(OBJS)\n\t@echo "linking libunits.a"\n\tar rcs libunits.a $(OBJS)\n%.o: %.c\n\t$(CC) $(CFLAGS) -c $< -o $@\n`);
    // tsc
    const tsLines = ["interface User { id: number; name: string; email: string }", "declare function load(id: number): Promise<User>;"];
    for (let n = 0; n < (fail ? 60 : 0); n += 1) {
      tsLines.push(`export const user${n}: User = { id: "${n}", name: ${n}, mail: "x" };`);
      tsLines.push(`export async function show${n}(u: User) { const v: number = u.name; return load(u.email) + missing${n}; }`);
    }
    tsLines.push("export const ok = (u: User) => u.id + 1;");
    write(join(dir, "ts", "main.ts"), tsLines.join("\n"));
    // npm / pnpm projects
    write(join(dir, "npm", "package.json"), JSON.stringify({ name: "corpus-npm", private: true, dependencies: fail ? { "left-pad": "^99.0.0" } : {} }));
    write(join(dir, "pnpm", "package.json"), JSON.stringify({ name: "corpus-pnpm", private: true, dependencies: fail ? { "is-number": "^99.0.0" } : { "is-number": "7.0.0", "kind-of": "6.0.3", chalk: "4.1.2" } }));
  }
  // eslint, installed from npm into a scratch project; it lints real code: the libraries npm
  // installed with it (plain CommonJS, written years ago), under rules they were not written
  // for (warnings: the run passes), then with two of those rules as errors, plus a file that
  // does not parse (the run fails).
  const lint = join(work, "eslint");
  write(join(lint, "package.json"), JSON.stringify({ name: "corpus-eslint", private: true }));
  if (spawnSync("npm", ["install", "--no-audit", "--no-fund", "--silent", `eslint@${eslintVersion}`], { cwd: lint, stdio: "inherit" }).status === 0) {
    for (const name of ["levn", "optionator", "type-check", "prelude-ls", "esutils"]) cpSync(join(lint, "node_modules", name, "lib"), join(lint, "vendor", name), { recursive: true });
    const globals = { require: "readonly", module: "writable", exports: "writable", process: "readonly", console: "readonly" };
    const rules = { "no-var": "warn", "prefer-const": "warn", eqeqeq: "warn", "no-unused-vars": "warn", "no-undef": "error", curly: "warn" };
    write(join(lint, "eslint.config.mjs"), `export default [{ files: ["**/*.js"], languageOptions: { sourceType: "commonjs", ecmaVersion: 2022, globals: ${JSON.stringify(globals)} }, rules: ${JSON.stringify(rules)} }];\n`);
    write(join(lint, "broken", "parse.js"), "const options = {\n  retries: 3,\n  delay: 100\n  timeout: 5000,\n};\nmodule.exports = options;\n");
  }
  // A clone of this repository with work in progress, for git status / diff.
  execSync(`git clone -q --local ${repoRoot} ${join(work, "repo")}`);
  const repo = join(work, "repo");
  execSync("git config user.email corpus@example.test && git config user.name corpus", { cwd: repo, shell: "/bin/bash" });
  execSync(
    "for f in $(git ls-files 'packages/*/source/*.ts' | head -40); do printf '\\n// touched\\n' >> $f; done; for n in $(seq 1 12); do echo draft > notes-$n.md; done; git add notes-1.md notes-2.md packages/rtk-hook/source/options.ts",
    { cwd: repo, shell: "/bin/bash" },
  );
  return repo;
}

function items(repo: string): Item[] {
  const pass = join(work, "js-pass");
  const fail = join(work, "js-fail");
  return [
    { id: "git-status", family: "git", command: "git status", cwd: repo },
    { id: "git-log", family: "git", command: "git log -n 40", cwd: repo },
    { id: "git-log-p", family: "git", command: "git log -p -n 4 -- packages", cwd: repo },
    { id: "git-diff", family: "git", command: "git diff", cwd: repo },
    { id: "git-show", family: "git", split: "held-out", command: "git show --stat -p HEAD~2", cwd: repo },
    { id: "git-bad-ref", family: "git", split: "held-out", command: "git show no-such-ref", cwd: repo },
    { id: "npm-install", family: "package install", command: "npm install --no-audit --no-fund --loglevel=http request@2.88.2 glob@7.2.3 rimraf@3.0.2 uuid@3.4.0", cwd: join(pass, "npm") },
    { id: "npm-install-fail", family: "package install", command: "npm install --no-audit --no-fund", cwd: join(fail, "npm") },
    { id: "pnpm-install", family: "package install", split: "held-out", command: "pnpm install --reporter=append-only", cwd: join(pass, "pnpm") },
    { id: "pnpm-install-fail", family: "package install", split: "held-out", command: "pnpm install --reporter=append-only", cwd: join(fail, "pnpm") },
    { id: "apt-get-simulate", family: "package install", command: "apt-get install -s default-jdk-headless", needs: "apt-get" },
    { id: "apt-get-reinstall", family: "package install", split: "held-out", command: "apt-get install -y --reinstall python3-pytest", needs: "pytest" },
    { id: "apt-get-fail", family: "package install", split: "held-out", command: "apt-get install -s no-such-package-rtk-corpus", needs: "apt-get" },
    { id: "node-test-pass", family: "JS tests", command: "node --test --test-reporter=spec format.test.mjs", cwd: pass },
    { id: "node-test-fail", family: "JS tests", command: "node --test --test-reporter=spec format.test.mjs", cwd: fail },
    { id: "vitest-pass", family: "JS tests", split: "held-out", command: `${vitest} run --reporter=verbose`, cwd: pass },
    { id: "vitest-fail", family: "JS tests", split: "held-out", command: `${vitest} run`, cwd: fail },
    { id: "pytest-pass", family: "pytest", command: "/usr/bin/python3 -m pytest -v test_parse.py", cwd: pass, needs: "pytest" },
    { id: "pytest-fail", family: "pytest", split: "held-out", command: "/usr/bin/python3 -m pytest test_parse.py", cwd: fail, needs: "pytest" },
    { id: "go-test-pass", family: "go test", command: "go test -v ./...", cwd: join(pass, "gomod") },
    { id: "go-test-fail", family: "go test", split: "held-out", command: "go test -v ./...", cwd: join(fail, "gomod") },
    { id: "tsc-pass", family: "tsc", command: `node ${tsc} --noEmit --extendedDiagnostics --strict main.ts`, cwd: join(pass, "ts") },
    { id: "tsc-fail-pretty", family: "tsc", command: `node ${tsc} --noEmit --pretty true --strict main.ts`, cwd: join(fail, "ts") },
    { id: "tsc-fail", family: "tsc", split: "held-out", command: `node ${tsc} --noEmit --strict main.ts`, cwd: join(fail, "ts") },
    { id: "eslint-warnings", family: "eslint", command: "node_modules/.bin/eslint vendor", cwd: join(work, "eslint"), needs: "eslint" },
    { id: "eslint-fail", family: "eslint", split: "held-out", command: 'node_modules/.bin/eslint --rule "no-var: error" --rule "eqeqeq: error" vendor/levn vendor/type-check broken', cwd: join(work, "eslint"), needs: "eslint" },
    { id: "make-pass", family: "make", command: "make -j1", cwd: join(pass, "c") },
    { id: "make-fail", family: "make", split: "held-out", command: "make -k -j1", cwd: join(fail, "c") },
    { id: "ls-lR", family: "listings", command: "ls -lR node_modules/.pnpm/typescript@*/node_modules/typescript/lib | head -3000", cwd: repoRoot },
    { id: "find", family: "listings", command: "find packages -not -path '*/node_modules/*' -type f", cwd: repo },
    { id: "grep-r", family: "listings", command: "grep -rn 'export function' packages --include=*.ts", cwd: repo },
    { id: "grep-r-fail", family: "listings", split: "held-out", command: "grep -rn 'parseDuration(' packages/keyed-mutex packages/no-such-package --include=*.ts", cwd: repo },
    { id: "ls-R-missing", family: "listings", split: "held-out", command: "ls -R packages/rtk-hook packages/no-such-package", cwd: repo },
    { id: "find-missing", family: "listings", split: "held-out", command: "find packages/keyed-mutex packages/stream-parser /no/such/dir -name '*.ts'", cwd: repo },
    { id: "npm-view-json", family: "JSON", command: "npm view typescript --json" },
    { id: "go-list-json", family: "JSON", split: "held-out", command: "go list -json strings bytes fmt" },
    { id: "npm-view-json-fail", family: "JSON", split: "held-out", command: "npm view left-pad@99 --json" },
  ];
}

function has(tool: string): boolean {
  if (tool === "eslint") return existsSync(join(work, "eslint", "node_modules", ".bin", "eslint"));
  if (tool === "pytest") return spawnSync("/usr/bin/python3", ["-m", "pytest", "--version"]).status === 0;
  return spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
}

// As in a Claude Code Bash call: no terminal, no forced colours.
const plainEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== "FORCE_COLOR" && name !== "NO_COLOR"));

try {
  const repo = setUpProjects();
  const unknown = [...only].filter((id) => !items(repo).some((item) => item.id === id));
  if (unknown.length > 0) throw new Error(`no corpus item ${unknown.join(", ")}; the items are: ${items(repo).map((item) => item.id).join(" ")}`);
  const corpusFile = join(packageDir, "corpus", "corpus.json");
  const kept = only.size > 0 ? (JSON.parse(readFileSync(corpusFile, "utf8")) as CorpusEntry[]) : [];
  const entries: CorpusEntry[] = [];
  if (only.size === 0) rmSync(outputs, { recursive: true, force: true });
  mkdirSync(outputs, { recursive: true });
  for (const item of items(repo)) {
    if (only.size > 0 && !only.has(item.id)) {
      const earlier = kept.find((entry) => entry.id === item.id);
      if (earlier) entries.push(earlier);
      continue;
    }
    if (item.needs && !has(item.needs)) {
      console.error(`skipped ${item.id}: ${item.needs} is not installed`);
      continue;
    }
    const result = spawnSync("bash", ["-c", `${item.command} 2>&1`], { cwd: item.cwd ?? work, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 600_000, env: plainEnv });
    const output = Buffer.from(result.stdout ?? "").subarray(0, maxSavedBytes).toString("utf8").replace(/\uFFFD$/, "");
    // Machine-specific paths would make the corpus differ between machines for no reason.
    const text = output.replaceAll(work, "/tmp/corpus").replaceAll(repoRoot.replace(/\/$/, ""), "/repo").replaceAll(`${homedir()}/`, "/home/user/");
    writeFileSync(join(outputs, `${item.id}.txt`), text);
    entries.push({ id: item.id, family: item.family, split: item.split ?? "tuning", command: item.command.replaceAll(repoRoot.replace(/\/$/, ""), "/repo"), exitStatus: result.status ?? 1, bytes: Buffer.byteLength(text) });
    console.error(`${item.id}: exit ${result.status}, ${Buffer.byteLength(text)} bytes`);
  }
  writeFileSync(corpusFile, `${JSON.stringify(entries, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
