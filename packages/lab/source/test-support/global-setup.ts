// Vitest global setup of the lab's end-to-end project: one lab per test run, shared with
// every test file through `inject("lab")`. The tests run in workers; the lab (and the fault
// proxy) live here, in vitest's main process, and die with it even if it crashes (the
// components run with a parent-death signal).
//
// CLAUDE_K8S_LAB_REUSE=1 uses the lab `lab up` started (in $CLAUDE_K8S_LAB_DIR or the
// default run dir) instead of starting one: faster while iterating on tests.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { defaultRunDir } from "../control-plane/paths.ts";
import { startLab } from "../lab.ts";
import { isAlive, readLabState } from "../lab-state.ts";
import { cleanupStaleRealNode } from "../real-node/real-node.ts";
import type { LabEndpoints } from "./lab-endpoints.ts";

const tempPrefix = "claude-k8s-lab-";

/** Run dirs of earlier test runs that were killed before their teardown (their components
 *  died with them; only the files remain). A dir whose owner still runs is left alone. */
async function removeDeadTestLabs() {
  for (const entry of await readdir(tmpdir())) {
    if (!entry.startsWith(tempPrefix)) continue;
    const dir = join(tmpdir(), entry);
    let state: ReturnType<typeof readLabState>;
    try {
      state = readLabState(dir);
    } catch {
      continue; // not ours to judge
    }
    if (state && !isAlive(state.ownerPid)) {
      // A real node's containers, mounts, cgroups and bridge outlive a killed test run.
      await cleanupStaleRealNode(join(dir, "node"));
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** Test workers inherit it: model servers started in tests then listen where pods reach them. */
function exportPodHost(address: string | undefined) {
  if (address && address !== "127.0.0.1") process.env.CLAUDE_K8S_LAB_POD_HOST = address;
}

export default async function setup(project: TestProject) {
  if (process.env.CLAUDE_K8S_LAB_REUSE === "1") {
    const dir = process.env.CLAUDE_K8S_LAB_DIR ?? defaultRunDir();
    const state = readLabState(dir);
    if (!state || !isAlive(state.ownerPid)) {
      throw new Error(`CLAUDE_K8S_LAB_REUSE=1 but no lab runs in ${dir}; start one with: ./dev lab up`);
    }
    project.provide("lab", { ...state, reused: true } satisfies LabEndpoints);
    exportPodHost(state.node?.podHostAddress);
    return;
  }

  await removeDeadTestLabs();
  const dataDir = await mkdtemp(join(tmpdir(), tempPrefix));
  const started = Date.now();
  const lab = await startLab({
    dataDir,
    build: "if-missing",
    log: (line) => process.stderr.write(`[lab] ${line}\n`),
  });
  process.stderr.write(`[lab] up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${dataDir}\n`);
  const state = readLabState(dataDir);
  if (!state) throw new Error(`lab: started but wrote no state in ${dataDir}`);
  project.provide("lab", { ...state, reused: false } satisfies LabEndpoints);
  exportPodHost(state.node?.podHostAddress);

  return async () => {
    await lab.stop();
    // CLAUDE_K8S_LAB_KEEP=1 keeps the run dir (component logs under logs/) for a post-mortem.
    if (process.env.CLAUDE_K8S_LAB_KEEP === "1") process.stderr.write(`[lab] kept ${dataDir}\n`);
    else await rm(dataDir, { recursive: true, force: true });
  };
}
