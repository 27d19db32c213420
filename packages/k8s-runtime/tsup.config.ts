import { defineConfig } from "tsup";

// ESM only: @kubernetes/client-node 2.x is ESM-only.
export default defineConfig({
  entry: ["source/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node24",
});
