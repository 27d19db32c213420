import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const repoRoot = path.resolve(import.meta.dirname, "../..");

export interface WorkspacePackage {
  dir: string;
  manifest: {
    name: string;
    version: string;
    private?: boolean;
    bin?: Record<string, string>;
    engines?: { node?: string };
    exports?: Record<string, unknown>;
  };
}

/** Every package under packages/, private ones included. */
export function workspacePackages(): WorkspacePackage[] {
  const packagesDir = path.join(repoRoot, "packages");
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = path.join(packagesDir, entry.name);
      return { dir, manifest: JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) };
    })
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

/** Every package under packages/ that is published (not `private`). */
export function publishedPackages(): WorkspacePackage[] {
  return workspacePackages().filter((pkg) => pkg.manifest.private !== true);
}

/** True when the package's "." export offers a CommonJS entry. */
export function offersCommonJs(pkg: WorkspacePackage): boolean {
  const root = pkg.manifest.exports?.["."];
  return typeof root === "object" && root !== null && "require" in root;
}
