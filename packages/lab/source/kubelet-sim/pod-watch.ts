import type { ApiClient } from "./api-client.ts";
import { ApiError } from "./api-client.ts";
import type { ApiStatus, Pod } from "./types.ts";

// One watch on the pods bound to this node, for the life of the sim. It resumes from the
// last resourceVersion it saw (bookmarks keep that fresh on a quiet node), relists when
// the server answers 410 Gone, and restarts after any other end: a server-side timeout,
// an API-server restart, a cut connection, or silence longer than the server's timeout.

export type PodWatchHandlers = {
  /** A pod was added or changed. */
  upsert(pod: Pod): void;
  /** The pod object is gone from the API server. */
  remove(pod: Pod): void;
  /** A full list: every pod bound to the node now (the sim drops the ones it knew that are not in it). */
  resync(pods: Pod[]): void;
};

export type PodWatch = { stop(): void; /** Resolves after the first list was handled. */ synced: Promise<void> };

const watchTimeoutSeconds = 300;
const maxBackoffMs = 30_000;

type WatchEvent = { type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR"; object: Pod | ApiStatus };

export function startPodWatch(api: ApiClient, nodeName: string, handlers: PodWatchHandlers, log: (line: string) => void): PodWatch {
  const selector = encodeURIComponent(`spec.nodeName=${nodeName}`);
  const stopper = new AbortController();
  let resourceVersion: string | undefined;
  let markSynced: () => void = () => {};
  const synced = new Promise<void>((resolve) => (markSynced = resolve));

  const list = async () => {
    const answer = await api.json<{ metadata: { resourceVersion: string }; items: Pod[] }>(
      "GET",
      `/api/v1/pods?fieldSelector=${selector}`,
      { signal: stopper.signal },
    );
    handlers.resync(answer.items);
    resourceVersion = answer.metadata.resourceVersion;
    markSynced();
  };

  /** Reads one watch until it ends; returns "relist" on 410 Gone. */
  const watchOnce = async (): Promise<"relist" | "resume"> => {
    const attempt = new AbortController();
    const abort = () => attempt.abort();
    stopper.signal.addEventListener("abort", abort);
    let idle: NodeJS.Timeout | undefined;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(abort, (watchTimeoutSeconds + 60) * 1000);
    };
    try {
      const path =
        `/api/v1/pods?fieldSelector=${selector}&watch=1&allowWatchBookmarks=true` +
        `&timeoutSeconds=${watchTimeoutSeconds}&resourceVersion=${encodeURIComponent(resourceVersion ?? "")}`;
      const response = await api.stream(path, attempt.signal);
      armIdle();
      let buffered = "";
      response.setEncoding("utf8");
      for await (const chunk of response as AsyncIterable<string>) {
        armIdle();
        buffered += chunk;
        let newline = buffered.indexOf("\n");
        while (newline !== -1) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          newline = buffered.indexOf("\n");
          if (!line) continue;
          const event = JSON.parse(line) as WatchEvent;
          if (event.type === "ERROR") {
            const status = event.object as ApiStatus;
            if (status.code === 410) return "relist";
            throw new Error(`watch error: ${status.message ?? JSON.stringify(status)}`);
          }
          const pod = event.object as Pod;
          // Bookmarks carry only metadata.resourceVersion: they keep a quiet watch resumable.
          if (pod.metadata?.resourceVersion) resourceVersion = pod.metadata.resourceVersion;
          if (event.type === "ADDED" || event.type === "MODIFIED") handlers.upsert(pod);
          else if (event.type === "DELETED") handlers.remove(pod);
        }
      }
      return "resume";
    } catch (error) {
      if (error instanceof ApiError && error.status === 410) return "relist";
      throw error;
    } finally {
      clearTimeout(idle);
      stopper.signal.removeEventListener("abort", abort);
      attempt.abort();
    }
  };

  void (async () => {
    let needList = true;
    let backoffMs = 500;
    while (!stopper.signal.aborted) {
      try {
        if (needList) await list();
        const started = Date.now();
        needList = (await watchOnce()) === "relist";
        // A watch that ends at once, again and again, must not become a busy loop.
        if (Date.now() - started < 1_000) {
          await new Promise((resolve) => setTimeout(resolve, backoffMs));
          backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
        } else backoffMs = 500;
      } catch (error) {
        if (stopper.signal.aborted) break;
        log(`kubelet-sim: pod watch ended (${(error as Error).message}); retrying in ${backoffMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
        // After an error we cannot know what we missed beyond resourceVersion; the watch
        // resumes from it, and a 410 then asks for a relist.
        if (resourceVersion === undefined) needList = true;
      }
    }
  })();

  return { stop: () => stopper.abort(), synced };
}
