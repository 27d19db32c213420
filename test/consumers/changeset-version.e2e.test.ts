// `changeset version` must bump each package on its own (independent versions). Run it on a
// scratch copy of the workspace manifests so the checkout is never touched.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { publishedPackages, repoRoot, workspacePackages } from "./workspace-packages.ts";

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

it("bumps only the packages a changeset names, each by its own bump", () => {
  const published = publishedPackages();
  expect(published.length).toBeGreaterThanOrEqual(2);
  const [first, second] = published as [(typeof published)[0], (typeof published)[0]];

  scratch = mkdtempSync(path.join(tmpdir(), "claude-k8s-changeset-"));
  for (const file of ["package.json", "pnpm-workspace.yaml"]) cpSync(path.join(repoRoot, file), path.join(scratch, file));
  mkdirSync(path.join(scratch, ".changeset"));
  cpSync(path.join(repoRoot, ".changeset/config.json"), path.join(scratch, ".changeset/config.json"));
  // Private packages too: published ones depend on them (workspace:*) for their tests.
  for (const pkg of workspacePackages()) {
    const relative = path.relative(repoRoot, pkg.dir);
    mkdirSync(path.join(scratch, relative), { recursive: true });
    cpSync(path.join(pkg.dir, "package.json"), path.join(scratch, relative, "package.json"));
  }
  writeFileSync(
    path.join(scratch, ".changeset/test-bump.md"),
    `---\n"${first.manifest.name}": minor\n"${second.manifest.name}": patch\n---\n\nA change for the test.\n`,
  );

  execFileSync(path.join(repoRoot, "node_modules/.bin/changeset"), ["version"], { cwd: scratch, stdio: "pipe" });

  const versionOf = (dir: string) =>
    JSON.parse(readFileSync(path.join(scratch!, path.relative(repoRoot, dir), "package.json"), "utf8")).version;
  const bump = (version: string, part: "minor" | "patch") => {
    const [major, minor, patch] = version.split(".").map(Number) as [number, number, number];
    return part === "minor" ? `${major}.${minor + 1}.0` : `${major}.${minor}.${patch + 1}`;
  };
  expect(versionOf(first.dir)).toBe(bump(first.manifest.version, "minor"));
  expect(versionOf(second.dir)).toBe(bump(second.manifest.version, "patch"));
  // Packages that depend on a bumped one get a patch bump (updateInternalDependencies); the rest stay.
  const bumped = new Set([first.manifest.name, second.manifest.name]);
  const dependsOnBumped = (pkg: (typeof published)[0]) => Object.keys({ ...(pkg.manifest as { dependencies?: Record<string, string> }).dependencies }).some((name) => bumped.has(name));
  let grew = true;
  while (grew) {
    grew = false;
    for (const pkg of published) if (!bumped.has(pkg.manifest.name) && dependsOnBumped(pkg)) {
      bumped.add(pkg.manifest.name);
      grew = true;
    }
  }
  for (const other of published.slice(2)) {
    expect(versionOf(other.dir)).toBe(bumped.has(other.manifest.name) ? bump(other.manifest.version, "patch") : other.manifest.version);
  }
  expect(readFileSync(path.join(scratch, path.relative(repoRoot, first.dir), "CHANGELOG.md"), "utf8")).toContain(
    "A change for the test.",
  );
  expect(existsSync(path.join(scratch, ".changeset/test-bump.md"))).toBe(false);
});
