import { defineConfig } from "tsup";

export default defineConfig([
  {
    // ESM only: the runtime it builds on (@kubernetes/client-node 2.x) is ESM-only, and
    // Paperclip imports adapters as ESM.
    entry: ["source/index.ts"],
    format: ["esm"],
    dts: true,
    // The build script empties dist/ first: tsup's clean, run per config, raced the ui-parser
    // declarations written by the third config and deleted them.
    clean: false,
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
    // Types for whoever loads it from Node or a bundler (ui-parser.d.cts beside it).
    dts: true,
    // Names the export for Node's CommonJS lexer (`import { parseStdoutLine }` from ESM), as
    // esbuild does itself only for platform "node"; dead code anywhere else.
    footer: { js: "0 && (module.exports = { parseStdoutLine });" },
    sourcemap: false,
    splitting: false,
    clean: false,
  },
]);
