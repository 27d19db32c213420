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
    // adapter copies it into pods and `install` copies it next to a settings file.
    entry: { cli: "source/cli.ts" },
    format: ["esm"],
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
