import { KubeApiError } from "../kube/kube-api-error.ts";
import type { KubeObject, SharedWatch } from "../kube/shared-watch.ts";
import { RunError } from "./run-errors.ts";

/**
 * Waits for a shared watch's first list. A watch that cannot list (no permission, API
 * server unreachable) retries forever in the background; a run must not wait forever on
 * it, nor decide anything from an empty cache: it fails, naming what could not be read.
 */
export async function watchReady(watch: SharedWatch<KubeObject>, what: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  if (watch.isSynced) return;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  const aborted = new Promise<"aborted">((resolve) => signal?.addEventListener("abort", () => resolve("aborted"), { once: true }));
  const outcome = await Promise.race([watch.synced().then(() => "synced" as const), timedOut, aborted]);
  clearTimeout(timer);
  if (outcome === "synced") return;
  if (outcome === "aborted") throw signal?.reason;
  const cause = watch.lastError;
  const forbidden = cause instanceof KubeApiError && cause.isForbidden;
  throw new RunError(
    forbidden ? "k8s_forbidden" : "k8s_api_unreachable",
    `cannot ${forbidden ? "list and watch" : "read"} ${what} within ${Math.round(timeoutMs / 1000)} s${cause ? `: ${(cause as Error).message}` : ""}${forbidden ? " (grant the verbs of the Role in the adapter's README)" : ""}`,
    { cause },
  );
}
