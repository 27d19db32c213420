// The one list of test projects. Vitest >= 4 no longer reads this file by itself: the root
// vitest.config.ts passes it to `test.projects`.
//
// Each package contributes a `<name>:unit` project (unit and property tests, `*.test.ts`)
// and, when it has any, a `<name>:e2e` project (`*.e2e.test.ts`: real CLI, real cluster).
// `./dev test:fast` runs only the `:unit` projects; `./dev test` runs everything.
type TestProjectConfiguration = { test: { name: string; root: string } & Record<string, unknown> };

/** Packages whose library code is pure; their unit tests also run under Node 20. */
export const purePackages = ["keyed-mutex", "stream-parser", "manifest", "rtk-hook"] as const;

const unit = (name: string, extra: Record<string, unknown> = {}): TestProjectConfiguration => ({
  test: {
    name: `${name}:unit`,
    root: `packages/${name}`,
    include: ["source/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/*.e2e.test.ts", "**/node_modules/**"],
    ...extra,
  },
});

const e2e = (name: string, extra: Record<string, unknown> = {}): TestProjectConfiguration => ({
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
  e2e("k8s-runtime", { globalSetup: ["../lab/source/test-support/global-setup.ts"], fileParallelism: false }),
  // Every published package packed, installed with plain npm into a scratch project, imported.
  { test: { name: "consumers", root: "test/consumers", include: ["**/*.e2e.test.ts"], testTimeout: 120_000, hookTimeout: 600_000 } },
] satisfies TestProjectConfiguration[];
