import type { PodVerdict } from "../decisions/classify-pod-status.ts";
import { decideSettlement, type JobKnowledge, type RunSettlement } from "../decisions/settle-run.ts";
import type { JobLike } from "../kube-objects.ts";
import type { KubeClient } from "../kube/kube-client.ts";
import type { SharedWatch } from "../kube/shared-watch.ts";
import { type JobRef, knowledgeOf, readJobFresh } from "./read-job.ts";
import type { Wakeup } from "./wakeup.ts";

export interface ReconcileRunOptions {
  client: KubeClient;
  job: JobRef;
  /** The namespace's shared Job watch. */
  jobs: SharedWatch<JobLike>;
  /** The Job as last read from the API server (the create or claim response), if any: fresher than a lagging cache. */
  lastRead?: JobLike;
  /** The pod's verdict now; whoever follows the pod rings `wakeup` when it changes. */
  pod: () => PodVerdict | undefined;
  wakeup: Wakeup;
  deadlineAt: number | undefined;
  signal: AbortSignal;
  now?: () => number;
  log?: (line: string) => void;
}

/** How long to wait before reading the Job again after a GET failed. */
const READ_RETRY_MS = 5000;

/**
 * The run's reconcile loop: look at everything known (watch cache, the last fresh read,
 * pod verdict, clock, abort), ask `decideSettlement`, carry out the answer, wait for the
 * next change or requeue time. It polls nothing: only a cache that disagrees with the API
 * server is read again, by name and UID.
 */
export async function reconcileRun(options: ReconcileRunOptions): Promise<RunSettlement> {
  const { client, job, jobs, wakeup, signal } = options;
  const now = options.now ?? Date.now;
  // Bumped by every watch event about our Job: a fresh read stands until the cache says something newer.
  let cacheVersion = 0;
  let lastRead: { knowledge: JobKnowledge; cacheVersion: number } | undefined = options.lastRead ? { knowledge: knowledgeOf(job, options.lastRead, "fresh", now()), cacheVersion: 0 } : undefined;
  const unsubscribe = jobs.subscribe((event) => {
    if (event.object.metadata?.uid !== job.uid) return;
    cacheVersion += 1;
    wakeup.wake();
  });
  const onAbort = () => wakeup.wake();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const known = lastRead && lastRead.cacheVersion === cacheVersion ? lastRead.knowledge : knowledgeOf(job, jobs.get(job.name, job.namespace), "cache", now());
      const decision = decideSettlement({ now: now(), deadlineAt: options.deadlineAt, aborted: signal.aborted, job: known, pod: options.pod() });
      if (decision.action === "settle") return decision.settlement;
      if (decision.action === "verify-job") {
        const versionBefore = cacheVersion;
        try {
          const object = await readJobFresh(client, job, signal);
          lastRead = { knowledge: knowledgeOf(job, object, "fresh", now()), cacheVersion: versionBefore };
        } catch (error) {
          if (!signal.aborted) {
            options.log?.(`could not read Job ${job.namespace}/${job.name}: ${(error as Error).message}; trying again`);
            await wakeup.wait(READ_RETRY_MS);
          }
        }
        continue;
      }
      await wakeup.wait(decision.requeueAt === undefined ? undefined : decision.requeueAt - now());
    }
  } finally {
    unsubscribe();
    signal.removeEventListener("abort", onAbort);
  }
}
