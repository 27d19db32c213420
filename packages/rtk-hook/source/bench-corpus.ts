import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// Real tool outputs, produced on this machine at bench time by the programs themselves.

export type CorpusItem = { name: string; command: string; output: string };

const repoRoot = new URL("../../../", import.meta.url).pathname;

function capture(command: string, cwd: string): string {
  try {
    return execSync(`${command} 2>&1`, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 300_000, shell: "/bin/bash" });
  } catch (error) {
    // A failing command's output is still a real output (and a realistic one).
    const failed = error as { stdout?: string };
    return failed.stdout ?? "";
  }
}

function testFile(): string {
  const cases = Array.from({ length: 400 }, (_, n) => {
    const failing = n % 67 === 13;
    const body = failing ? `assert.deepStrictEqual(parse("${n}"), { value: ${n + 1}, unit: "ms" });` : `assert.equal(${n} + 1, ${n + 1});`;
    return `  test("parses duration case ${n}", () => { ${body} });`;
  });
  return `import { test, describe } from "node:test";\nimport assert from "node:assert";\nconst parse = (s) => ({ value: Number(s), unit: "ms" });\ndescribe("duration parser", () => {\n${cases.join("\n")}\n});\n`;
}

function brokenTypeScript(): string {
  const lines = ["interface User { id: number; name: string; email: string }", "declare function load(id: number): Promise<User>;"];
  for (let n = 0; n < 60; n += 1) {
    lines.push(`export const user${n}: User = { id: "${n}", name: ${n}, mail: "x" };`);
    lines.push(`export async function show${n}(u: User) { const v: number = u.name; return load(u.email) + missing${n}; }`);
  }
  return lines.join("\n");
}

export function buildCorpus(dir: string): CorpusItem[] {
  mkdirSync(dir, { recursive: true });
  const require = createRequire(import.meta.url);
  const tsc = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");
  writeFileSync(join(dir, "duration.test.mjs"), testFile());
  writeFileSync(join(dir, "broken.ts"), brokenTypeScript());
  const pnpmStore = join(repoRoot, "node_modules", ".pnpm");
  const items: Array<Omit<CorpusItem, "output">> = [
    {
      name: "npm install log",
      command: `npm install --no-audit --no-fund --loglevel=http --prefix ${join(dir, "npm")} request@2.88.2 glob@7.2.3 rimraf@3.0.2 uuid@3.4.0`,
    },
    { name: "node --test, 6 failures", command: "node --test --test-reporter=spec duration.test.mjs" },
    { name: "git log -p", command: `git -C ${repoRoot} log --stat -p -n 6` },
    { name: "ls -lR (pnpm store)", command: `ls -lR ${pnpmStore}/typescript@* ${pnpmStore}/vite@* ${pnpmStore}/@biomejs* ${pnpmStore}/tsup@*` },
    { name: "tsc error storm", command: `node ${tsc} --noEmit --pretty true --strict broken.ts` },
    { name: "JSON API dump", command: "npm view typescript --json" },
  ];
  return items.map((item) => ({ ...item, output: capture(item.command, dir) }));
}
