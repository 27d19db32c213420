import { defineConfig } from "vitest/config";
import projects, { purePackages } from "./vitest.workspace.ts";

// CLAUDE_K8S_PURE_ONLY=1 (set by ./dev for the Node 20 pass) keeps only the pure packages'
// unit projects: they promise engines.node >= 20, the rest of the workspace needs Node 24.
const pureOnly = process.env.CLAUDE_K8S_PURE_ONLY === "1";
const pureUnitNames = new Set(purePackages.map((name) => `${name}:unit`));

export default defineConfig({
  test: {
    projects: pureOnly ? projects.filter((project) => pureUnitNames.has(project.test.name)) : projects,
    passWithNoTests: false,
  },
});
