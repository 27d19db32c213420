import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const packageDir = new URL("../../", import.meta.url).pathname;

/** Newest modification time among the library and bin sources (tests and fixtures excluded). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "test-utils" && entry.name !== "fixtures") newest = Math.max(newest, newestSource(path));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && entry.name !== "bench.ts") {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/**
 * The built single-file bin (dist/cli.cjs), the artifact Claude Code runs. Refuses a missing
 * or stale build rather than testing old code.
 */
export function builtBin(): string {
  const bin = join(packageDir, "dist", "cli.cjs");
  if (!existsSync(bin) || statSync(bin).mtimeMs < newestSource(join(packageDir, "source"))) {
    throw new Error(`${bin} is missing or older than source/: run \`pnpm --filter @claude-k8s/rtk-hook run build\` first`);
  }
  return bin;
}
