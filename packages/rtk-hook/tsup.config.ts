import { defineConfig } from "tsup";

export default defineConfig([
  {
    // The library: pure core, ESM and CJS, with types.
    entry: ["source/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    clean: false, // the build script empties dist once; two parallel cleans would race
    sourcemap: true,
    target: "node20",
  },
  {
    // The hook bin: ONE self-contained file with no runtime dependencies, because the
    // adapter copies it into pods and `install` copies it next to a settings file. CommonJS,
    // because Claude starts it on every tool call and Node starts a CommonJS file faster
    // than an ES module (no module loader to set up): see the latency figures in the README.
    entry: { cli: "source/cli.ts" },
    format: ["cjs"],
    outExtension: () => ({ js: ".cjs" }),
    // cli.ts reads import.meta.url only when __filename is missing (run from its sources).
    esbuildOptions(options) {
      options.logOverride = { "empty-import-meta": "silent" };
    },
    dts: false,
    clean: false,
    sourcemap: false,
    splitting: false,
    target: "node20",
    platform: "node",
    noExternal: [/.*/],
    banner: { js: "#!/usr/bin/env node" },
  },
]);
