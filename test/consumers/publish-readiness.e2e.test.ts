// What a registry and a stranger's TypeScript see of each published package: publint and
// "are the types wrong" on the packed tarball, a consumer type check from ESM and from
// CommonJS, `pnpm publish --dry-run`, and the metadata npm shows on the package page.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { offersCommonJs, publishedPackages, repoRoot } from "./workspace-packages.ts";

const packages = publishedPackages();
const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);
let scratch: string;
const tarballOf = new Map<string, string>();

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed:\n${failed.stdout ?? ""}\n${failed.stderr ?? failed.message}`);
  }
}

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), "claude-k8s-publish-"));
  const tarballs = path.join(scratch, "tarballs");
  for (const pkg of packages) {
    const before = new Set(existsSync(tarballs) ? readdirSync(tarballs) : []);
    run("pnpm", ["pack", "--pack-destination", tarballs], pkg.dir);
    const made = readdirSync(tarballs).find((file) => !before.has(file));
    tarballOf.set(pkg.manifest.name, path.join(tarballs, made!));
  }
  const project = path.join(scratch, "project");
  run("mkdir", ["-p", project], scratch);
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // @types/ws: @kubernetes/client-node's own declarations import "ws" without depending on its
  // types; any consumer that type-checks libraries (skipLibCheck off) needs it too.
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballOf.values(), "@types/node@24", "@types/ws@8"], project);
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Every entry point a consumer can import: "." and each subpath except package.json. */
const entryPoints = (name: string, exports: Record<string, unknown> | undefined) =>
  Object.keys(exports ?? { ".": {} })
    .filter((key) => key !== "./package.json")
    .map((key) => (key === "." ? name : `${name}/${key.slice(2)}`));

describe.each(packages.map((pkg) => [pkg.manifest.name, pkg] as const))("%s as published", (name, pkg) => {
  it("has a LICENSE, repository, homepage and bugs, and ships the LICENSE", () => {
    const manifest = pkg.manifest as typeof pkg.manifest & Record<string, unknown>;
    expect(manifest.license).toBe("MIT");
    expect(manifest.repository).toMatchObject({ type: "git", directory: path.relative(repoRoot, pkg.dir) });
    expect(typeof manifest.homepage).toBe("string");
    expect(manifest.bugs).toMatchObject({ url: expect.any(String) });
    const listing = run("tar", ["-tzf", tarballOf.get(name)!], scratch).split("\n");
    expect(listing).toContain("package/LICENSE");
  });

  it("is clean under publint (strict)", () => {
    const out = run(bin("publint"), ["--strict", tarballOf.get(name)!], scratch);
    expect(out).not.toMatch(/warning|error|suggestion/i);
  });

  it("has types that resolve for node16 ESM and CommonJS and for bundlers (are the types wrong)", () => {
    // node10 resolution is left out: every package requires Node >= 20, which reads `exports`.
    // Packages without a CommonJS build are ESM-only on purpose (Node >= 20.19 can require()
    // them); attw would call that a problem, so the rule is off for them alone.
    const args = [tarballOf.get(name)!, "--profile", "node16", "--no-color", "--no-emoji"];
    if (!offersCommonJs(pkg)) args.push("--ignore-rules", "cjs-resolves-to-esm");
    // attw exits non-zero on any problem the profile and rules do not ignore: run() then
    // throws with attw's table, which names the entry point and the problem.
    expect(run(bin("attw"), args, scratch)).toContain(`${name} v${pkg.manifest.version}`);
  });

  it("type-checks in a consumer, from ESM and from CommonJS", () => {
    const dir = path.join(scratch, "project", `types-${name.replace(/[@/]/g, "_")}`);
    run("mkdir", ["-p", dir], scratch);
    const entries = entryPoints(name, pkg.manifest.exports);
    writeFileSync(path.join(dir, "esm.mts"), entries.map((entry, n) => `import * as m${n} from ${JSON.stringify(entry)};\nexport const k${n}: string[] = Object.keys(m${n});\n`).join(""));
    const files = ["esm.mts"];
    if (offersCommonJs(pkg)) {
      writeFileSync(path.join(dir, "cjs.cts"), entries.map((entry, n) => `import m${n} = require(${JSON.stringify(entry)});\nexport const k${n}: string[] = Object.keys(m${n});\n`).join(""));
      files.push("cjs.cts");
    }
    run(bin("tsc"), ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--types", "node", "--skipLibCheck", "false", ...files], dir);
  });

  it("passes pnpm publish --dry-run", () => {
    const out = run("pnpm", ["publish", "--dry-run", "--no-git-checks", "--ignore-scripts"], pkg.dir);
    expect(out + "").toContain(pkg.manifest.version);
  });
});
