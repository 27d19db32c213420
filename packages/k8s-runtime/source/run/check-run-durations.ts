import type { PodBudgets } from "../decisions/classify-pod-status.ts";
import { RunError } from "./run-errors.ts";

/**
 * The longest duration a run accepts, in ms: `timeoutSec` + `graceSec` at their largest
 * (2147483647 s each, the API server's int32). Timers wait out longer delays in a chain
 * (see setLongTimeout), so the bound is about meaning, not about `setTimeout`.
 */
export const MAX_RUN_DURATION_MS = 2 * 2_147_483_647 * 1000;

export interface RunDurations {
  deadlineMs: number;
  budgets: PodBudgets;
  logDrainMs?: number | undefined;
}

/**
 * Refuses durations no timer can honour (negative, not a number, past MAX_RUN_DURATION_MS)
 * before the run touches the cluster: a refused run leaves no Job, Secret or Lease.
 */
export function checkRunDurations(durations: RunDurations): void {
  const values: Array<[string, number | undefined]> = [
    ["deadlineMs", durations.deadlineMs],
    ["budgets.scheduleTimeoutMs", durations.budgets.scheduleTimeoutMs],
    ["budgets.startTimeoutMs", durations.budgets.startTimeoutMs],
    ["budgets.imagePullBackOffGraceMs", durations.budgets.imagePullBackOffGraceMs],
    ["budgets.containerConfigErrorGraceMs", durations.budgets.containerConfigErrorGraceMs],
    ["logDrainMs", durations.logDrainMs],
  ];
  for (const [name, value] of values) {
    if (value === undefined) continue;
    if (Number.isFinite(value) && value >= 0 && value <= MAX_RUN_DURATION_MS) continue;
    throw new RunError(
      "k8s_config_invalid",
      `${name} ${value} is out of range: expected a number of ms from 0 to ${MAX_RUN_DURATION_MS} (${MAX_RUN_DURATION_MS / 1000} s); lower the timeout that sets it`,
    );
  }
}
