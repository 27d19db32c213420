// The one list of test projects. Vitest >= 4 no longer reads this file by itself: the root
// vitest.config.ts passes it to `test.projects`.
//
// Each package contributes a `<name>:unit` project (unit and property tests, `*.test.ts`)
// and, when it has any, a `<name>:e2e` project (`*.e2e.test.ts`: real CLI, real cluster).
// `./dev test:fast` runs only the `:unit` projects; `./dev test` runs everything.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

type TestProjectConfiguration = { test: { name: string; root: string } & Record<string, unknown>; resolve?: unknown };

// Tests import sibling packages from their sources, so `./dev test:fast` needs no build and
// a test never runs against a stale dist/. (The consumer tests check the built tarballs.)
const packagesDir = path.join(import.meta.dirname, "packages");
const sourceAliases = readdirSync(packagesDir)
  .filter((dir) => existsSync(path.join(packagesDir, dir, "source/index.ts")))
  .map((dir) => {
    const name = JSON.parse(readFileSync(path.join(packagesDir, dir, "package.json"), "utf8")).name as string;
    // Exact match only: deep imports such as `@claude-k8s/lab/source/...` resolve as files.
    return { find: new RegExp(`^${name.replace(/[/.]/g, "\\$&")}$`), replacement: path.join(packagesDir, dir, "source/index.ts") };
  });
const resolve = { alias: sourceAliases };

/** Packages whose library code is pure; their unit tests also run under Node 20. */
export const purePackages = ["keyed-mutex", "stream-parser", "manifest", "rtk-hook"] as const;

const unit = (name: string, extra: Record<string, unknown> = {}): TestProjectConfiguration => ({
  resolve,
  test: {
    name: `${name}:unit`,
    root: `packages/${name}`,
    include: ["source/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/*.e2e.test.ts", "**/node_modules/**"],
    // Property tests run hundreds of cases: on a loaded 2-core machine 5 s is too tight a guard.
    testTimeout: 30_000,
    ...extra,
  },
});

const e2e = (name: string, extra: Record<string, unknown> = {}): TestProjectConfiguration => ({
  resolve,
  test: {
    name: `${name}:e2e`,
    root: `packages/${name}`,
    include: ["source/**/*.e2e.test.ts", "test/**/*.e2e.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 600_000,
    ...extra,
  },
});

export default [
  unit("keyed-mutex"),
  unit("stream-parser"),
  e2e("stream-parser"),
  unit("manifest"),
  unit("rtk-hook"),
  e2e("rtk-hook"),
  unit("k8s-runtime"),
  unit("adapter"),
  e2e("adapter", { globalSetup: ["../lab/source/test-support/global-setup.ts"], fileParallelism: false, exclude: ["**/*.helm.e2e.test.ts", "**/node_modules/**"] }),
  unit("lab"),
  // One lab per project that needs a cluster; files one at a time (some restart the API server).
  e2e("lab", {
    globalSetup: ["source/test-support/global-setup.ts"],
    fileParallelism: false,
    // kubelet-sim's own tests check the simulator: with the real node (CLAUDE_K8S_LAB_NODE=real) there is none.
    ...(process.env.CLAUDE_K8S_LAB_NODE === "real" ? { exclude: ["source/kubelet-sim/**", "**/node_modules/**"] } : {}),
  }),
  e2e("k8s-runtime", { globalSetup: ["../lab/source/test-support/global-setup.ts"], fileParallelism: false }),
  // A real Paperclip server driving our adapter, and its UI in headless Chromium.
  e2e("paperclip-e2e", { globalSetup: ["../lab/source/test-support/global-setup.ts"], fileParallelism: false, testTimeout: 300_000 }),
  // The Helm chart rendered by a real helm (built from Go modules, cached) against `claude-k8s manifests`.
  { resolve, test: { name: "adapter:helm", root: "packages/adapter", include: ["source/**/*.helm.e2e.test.ts"], testTimeout: 120_000 } },
  // Every published package packed, installed with plain npm into a scratch project, imported.
  { test: { name: "consumers", root: "test/consumers", include: ["**/*.e2e.test.ts"], testTimeout: 120_000, hookTimeout: 600_000 } },
] satisfies TestProjectConfiguration[];
