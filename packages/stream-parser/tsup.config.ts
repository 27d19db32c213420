import { defineConfig } from "tsup";

export default defineConfig([
  {
    // The library: ESM and CommonJS (no dependencies, so nothing forces ESM only). `transcript`
    // is its own entry: it imports nothing, so it can run anywhere (a browser, a web worker).
    entry: { index: "source/index.ts", transcript: "source/transcript.ts" },
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: true,
    target: "node20",
  },
  {
    // The bin: one self-contained ESM file (the package is "type": "module").
    entry: { cli: "source/cli.ts" },
    format: ["esm"],
    sourcemap: true,
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
  },
]);
