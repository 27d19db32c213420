import { defineConfig } from "tsup";

export default defineConfig([
  {
    // ESM only: the runtime it builds on (@kubernetes/client-node 2.x) is ESM-only, and
    // Paperclip imports adapters as ESM.
    entry: ["source/index.ts"],
    format: ["esm"],
    dts: true,
    clean: true,
    sourcemap: true,
    target: "node24",
  },
  {
    // The `claude-k8s` bin.
    entry: { cli: "source/cli.ts" },
    format: ["esm"],
    dts: false,
    clean: false,
    sourcemap: true,
    target: "node24",
    banner: { js: "#!/usr/bin/env node" },
  },
  {
    // The browser-side transcript parser: one self-contained CommonJS file (see ui-parser.ts).
    entry: { "ui-parser": "source/ui-parser.ts" },
    format: ["cjs"],
    outExtension: () => ({ js: ".cjs" }),
    platform: "neutral",
    target: "es2020",
    noExternal: [/.*/],
    dts: false,
    sourcemap: false,
    splitting: false,
    clean: false,
  },
]);
