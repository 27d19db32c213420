// Installs every published package the way a stranger would: `pnpm pack`, then plain npm
// into a scratch project, then import (ESM, and CJS where offered) and run the bins.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { offersCommonJs, publishedPackages, repoRoot } from "./workspace-packages.ts";

const packages = publishedPackages();
let scratch: string;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** The machine's Node 20 when there is one: pure packages promise engines.node >= 20. */
function systemNode20(): string | undefined {
  for (const candidate of ["/usr/bin/node", "/usr/local/bin/node"]) {
    try {
      if (run(candidate, ["-p", "process.versions.node.split('.')[0]"], repoRoot).trim() === "20") return candidate;
    } catch {}
  }
  return undefined;
}

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), "claude-k8s-consumer-"));
  const tarballs = path.join(scratch, "tarballs");
  for (const pkg of packages) run("pnpm", ["pack", "--pack-destination", tarballs], pkg.dir);
  const project = path.join(scratch, "project");
  run("mkdir", ["-p", project], scratch);
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  const files = readdirSync(tarballs).map((file) => path.join(tarballs, file));
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...files], project);
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const project = () => path.join(scratch, "project");

describe.each(packages.map((pkg) => [pkg.manifest.name, pkg] as const))("%s from its tarball", (name, pkg) => {
  it("imports as ESM with named exports", () => {
    const keys = JSON.parse(
      run("node", ["--input-type=module", "-e", `const m = await import(${JSON.stringify(name)}); console.log(JSON.stringify(Object.keys(m).sort()))`], project()),
    ) as string[];
    expect(keys.length).toBeGreaterThan(0);
  });

  it.runIf(offersCommonJs(pkg))("requires as CommonJS with the same exports as ESM", () => {
    const esm = run("node", ["--input-type=module", "-e", `const m = await import(${JSON.stringify(name)}); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== "default").sort()))`], project());
    const cjs = run("node", ["-e", `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(name)})).sort()))`], project());
    expect(JSON.parse(cjs)).toEqual(JSON.parse(esm));
  });

  it.runIf(pkg.manifest.engines?.node === ">=20" && systemNode20() !== undefined)("imports on the system Node 20", () => {
    const node20 = systemNode20()!;
    const out = run(node20, ["--input-type=module", "-e", `const m = await import(${JSON.stringify(name)}); console.log(Object.keys(m).length)`], project());
    expect(Number(out.trim())).toBeGreaterThan(0);
    if (offersCommonJs(pkg)) run(node20, ["-e", `require(${JSON.stringify(name)})`], project());
  });

  it.each(Object.keys(pkg.manifest.bin ?? {}).map((bin) => [bin]))("runs the bin %s --help", (bin) => {
    const out = run(path.join(project(), "node_modules", ".bin", bin), ["--help"], project());
    expect(out).toMatch(/usage/i);
  });
});

describe("keyed-mutex as a consumer uses it", () => {
  it("locks from CommonJS", () => {
    const out = run(
      "node",
      ["-e", `const { KeyedMutex } = require("@claude-k8s/keyed-mutex"); const m = new KeyedMutex(); m.withLock("a", () => m.isLocked("a")).then((held) => console.log(held, m.size));`],
      project(),
    );
    expect(out.trim()).toBe("true 0");
  });
});
