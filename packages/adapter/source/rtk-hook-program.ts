import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { RtkHookProgram } from "@claude-k8s/manifest";

let cached: Promise<RtkHookProgram> | undefined;

/**
 * The text of @claude-k8s/rtk-hook's bin: one self-contained file that travels with every
 * run that has `enableRtk` (in the run's Secret), so the image needs nothing but node.
 */
export function rtkHookProgram(): Promise<RtkHookProgram> {
  cached ??= (async () => {
    const manifestPath = createRequire(import.meta.url).resolve("@claude-k8s/rtk-hook/package.json");
    // CommonJS: Node starts it faster than an ES module, and Claude starts it on every tool call.
    const bin = path.join(path.dirname(manifestPath), "dist", "cli.cjs");
    const program = await readFile(bin, "utf8").catch((error: unknown) => {
      throw new Error(`enableRtk needs the hook program at ${bin}, which cannot be read (${(error as Error).message}): reinstall paperclip-adapter-claude-k8s with its dependencies`);
    });
    return { program, format: "commonjs" };
  })();
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
