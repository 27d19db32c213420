// Test utilities: a Job watch cache a test fills and changes by hand, and a client that
// answers GETs of Jobs from a table, for the reconcile loop's unit tests.
import type { JobLike } from "../kube-objects.ts";
import { KubeApiError } from "../kube/kube-api-error.ts";
import type { KubeClient, KubeRequest } from "../kube/kube-client.ts";
import type { SharedWatch, WatchEvent, WatchListener } from "../kube/shared-watch.ts";

export function fakeJobWatch(): { watch: SharedWatch<JobLike>; emit(event: WatchEvent<JobLike>): void } {
  const cache = new Map<string, JobLike>();
  const listeners = new Set<WatchListener<JobLike>>();
  const key = (job: JobLike) => `${job.metadata?.namespace ?? ""}/${job.metadata?.name ?? ""}`;
  const watch = {
    isSynced: true,
    synced: () => Promise.resolve(),
    get: (name: string, namespace?: string) => cache.get(`${namespace ?? ""}/${name}`),
    list: () => [...cache.values()],
    subscribe(listener: WatchListener<JobLike>) {
      listeners.add(listener);
      for (const object of cache.values()) listener({ type: "ADDED", object });
      return () => listeners.delete(listener);
    },
  };
  return {
    watch: watch as unknown as SharedWatch<JobLike>,
    emit(event) {
      if (event.type === "DELETED") cache.delete(key(event.object));
      else cache.set(key(event.object), event.object);
      for (const listener of listeners) listener(event);
    },
  };
}

/** A client whose GET of a Job answers from `jobs` (404 when absent); every request is recorded. */
export function jobTableClient(jobs: Map<string, JobLike>): { client: KubeClient; requests: string[] } {
  const requests: string[] = [];
  const client: KubeClient = {
    server: "https://fake.invalid",
    contextNamespace: undefined,
    async request<T>(request: KubeRequest): Promise<T> {
      requests.push(`${request.method} ${request.path}`);
      const name = request.path.split("/").pop() ?? "";
      const job = request.method === "GET" ? jobs.get(name) : undefined;
      if (!job) throw new KubeApiError({ status: 404, reason: "NotFound", verb: request.method, path: request.path });
      return job as T;
    },
    stream: () => Promise.reject(new Error("no streams here")),
    close() {},
  };
  return { client, requests };
}
