import { defineConfig } from "tsup";

// ESM only: the runtime it builds on (@kubernetes/client-node 2.x) is ESM-only, and
// Paperclip imports adapters as ESM.
export default defineConfig({
  entry: ["source/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node24",
});
