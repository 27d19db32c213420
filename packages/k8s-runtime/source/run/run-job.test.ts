import { buildRunManifests, requireAdapterConfig } from "@claude-k8s/manifest";
import { describe, expect, it } from "vitest";
import { defaultPodBudgets } from "../decisions/classify-pod-status.ts";
import { noClusterRuntime } from "../test-utils/no-cluster.ts";
import { MAX_RUN_DURATION_MS } from "./check-run-durations.ts";
import { type RunJobOptions, runJob } from "./run-job.ts";

function options(overrides: Partial<RunJobOptions>): { opts: RunJobOptions; calls: string[] } {
  const { runtime, calls } = noClusterRuntime();
  const { config } = requireAdapterConfig({ namespace: "agents", image: "busybox:1" });
  const manifests = buildRunManifests({ config, run: { runId: "run-1", agent: { id: "agent-1", companyId: "c", name: "A" }, runtime: null, context: {}, authToken: null } });
  return {
    calls,
    opts: {
      runtime,
      manifests,
      run: { agentId: "agent-1", runId: "run-1" },
      policy: { reattachOrphanedJobs: true, ownerStaleAfterMs: 600_000 },
      budgets: defaultPodBudgets,
      deadlineMs: 0,
      retainJob: false,
      signal: new AbortController().signal,
      onLine: () => {},
      onStatus: () => {},
      ...overrides,
    },
  };
}

describe("runJob refuses durations out of range before touching the cluster", () => {
  const cases: Array<[string, Partial<RunJobOptions>]> = [
    ["a negative deadline", { deadlineMs: -1 }],
    ["a deadline that is not a number", { deadlineMs: Number.NaN }],
    ["an endless deadline", { deadlineMs: Number.POSITIVE_INFINITY }],
    ["a deadline past the largest", { deadlineMs: MAX_RUN_DURATION_MS + 1 }],
    ["a start budget past the largest", { budgets: { ...defaultPodBudgets, startTimeoutMs: MAX_RUN_DURATION_MS * 2 } }],
  ];
  for (const [what, overrides] of cases) {
    it(`${what}: k8s_config_invalid naming the largest value, and no request made (no Job, Secret or Lease)`, async () => {
      const { opts, calls } = options(overrides);
      const outcome = await runJob(opts);
      expect(outcome).toMatchObject({ kind: "not-launched", code: "k8s_config_invalid" });
      if (outcome.kind === "not-launched") expect(outcome.message).toContain(String(MAX_RUN_DURATION_MS));
      expect(calls).toEqual([]);
      await opts.runtime.close();
    });
  }
});
