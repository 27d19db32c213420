import type { IncomingMessage } from "node:http";
import { KubeApiError } from "./kube-api-error.ts";
import type { KubeClient } from "./kube-client.ts";
import { abortableSleep } from "./abortable-sleep.ts";
import { retryDelayMs } from "./retry-delay.ts";
import { apiRequestKind } from "../metrics/api-request-kind.ts";
import { runtimeMetrics } from "../metrics/runtime-metrics.ts";

export interface KubeObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; uid?: string };
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";
export interface WatchEvent<T> {
  type: WatchEventType;
  object: T;
}
export type WatchListener<T> = (event: WatchEvent<T>) => void;

export interface SharedWatchOptions {
  client: KubeClient;
  /** Collection path, e.g. `/apis/batch/v1/namespaces/agents/jobs`. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** The server ends each watch after this long (then we resume from the last resourceVersion). */
  serverTimeoutSeconds?: number;
  log?: (line: string) => void;
}

export interface SharedWatchStats {
  lists: number;
  watches: number;
  relists: number;
  errors: number;
}

class WatchExpiredError extends Error {}

/**
 * One list+watch of one collection, shared by every run that cares about it: the API
 * server's load does not grow with the number of runs. It resumes from the last
 * resourceVersion when a watch ends (bookmarks keep that fresh on quiet collections),
 * relists only on 410 Gone, and retries anything else with back-off. Listeners get every
 * change; a new listener first gets the current objects as ADDED.
 */
export class SharedWatch<T extends KubeObject> {
  readonly stats: SharedWatchStats = { lists: 0, watches: 0, relists: 0, errors: 0 };
  readonly #options: SharedWatchOptions;
  readonly #cache = new Map<string, T>();
  readonly #listeners = new Set<WatchListener<T>>();
  readonly #errorListeners = new Set<(error: unknown) => void>();
  readonly #stop = new AbortController();
  #resourceVersion: string | undefined;
  #synced = false;
  #syncWaiters: Array<() => void> = [];
  #running: Promise<void> | undefined;
  #lastError: unknown;

  constructor(options: SharedWatchOptions) {
    this.#options = options;
  }

  start(): this {
    this.#running ??= this.#run();
    return this;
  }

  /** Resolves once the first list has filled the cache. */
  synced(): Promise<void> {
    if (this.#synced) return Promise.resolve();
    return new Promise((resolve) => this.#syncWaiters.push(resolve));
  }

  get isSynced(): boolean {
    return this.#synced;
  }

  /** The last error the watch hit, until it recovers. */
  get lastError(): unknown {
    return this.#lastError;
  }

  subscribe(listener: WatchListener<T>): () => void {
    this.#listeners.add(listener);
    if (this.#synced) for (const object of this.#cache.values()) listener({ type: "ADDED", object });
    return () => this.#listeners.delete(listener);
  }

  onError(listener: (error: unknown) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  get(name: string, namespace?: string): T | undefined {
    return this.#cache.get(cacheKey(namespace, name));
  }

  list(): T[] {
    return [...this.#cache.values()];
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running?.catch(() => undefined);
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    let needList = true;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.#list(signal);
          needList = false;
        }
        await this.#watchOnce(signal);
        failures = 0;
        this.#lastError = undefined;
      } catch (error) {
        if (signal.aborted) break;
        if (error instanceof WatchExpiredError || (error instanceof KubeApiError && error.isGone)) {
          this.stats.relists += 1;
          runtimeMetrics.watchRelisted(apiRequestKind("GET", this.#options.path).resource);
          needList = true;
          continue;
        }
        failures += 1;
        this.stats.errors += 1;
        this.#lastError = error;
        this.#options.log?.(`watch ${this.#describe()}: ${(error as Error).message}; retrying`);
        for (const listener of this.#errorListeners) listener(error);
        await abortableSleep(retryDelayMs(failures, error instanceof KubeApiError ? error.retryAfterSeconds : undefined), signal).catch(() => undefined);
      }
    }
  }

  async #list(signal: AbortSignal): Promise<void> {
    const fresh = new Map<string, T>();
    let continueToken: string | undefined;
    let resourceVersion: string | undefined;
    do {
      this.stats.lists += 1;
      const page = await this.#options.client.request<{ metadata?: { resourceVersion?: string; continue?: string }; items?: T[] }>({
        method: "GET",
        path: this.#options.path,
        query: { labelSelector: this.#options.labelSelector, fieldSelector: this.#options.fieldSelector, limit: 500, continue: continueToken },
        signal,
      });
      for (const item of page.items ?? []) fresh.set(keyOf(item), item);
      continueToken = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion;
    } while (continueToken);

    // Tell listeners what changed while we were not watching.
    const previous = new Map(this.#cache);
    this.#cache.clear();
    for (const [key, object] of fresh) this.#cache.set(key, object);
    for (const [key, object] of fresh) {
      const before = previous.get(key);
      if (!before) this.#emit({ type: "ADDED", object });
      else if (before.metadata?.resourceVersion !== object.metadata?.resourceVersion) this.#emit({ type: "MODIFIED", object });
    }
    for (const [key, object] of previous) if (!fresh.has(key)) this.#emit({ type: "DELETED", object });

    this.#resourceVersion = resourceVersion;
    if (!this.#synced) {
      this.#synced = true;
      for (const resolve of this.#syncWaiters.splice(0)) resolve();
    }
  }

  async #watchOnce(signal: AbortSignal): Promise<void> {
    const serverTimeout = this.#options.serverTimeoutSeconds ?? 290;
    this.stats.watches += 1;
    if (this.stats.watches > 1) runtimeMetrics.watchRestarted(apiRequestKind("GET", this.#options.path).resource);
    const response = await this.#options.client.stream({
      path: this.#options.path,
      query: {
        watch: 1,
        allowWatchBookmarks: true,
        resourceVersion: this.#resourceVersion,
        timeoutSeconds: serverTimeout,
        labelSelector: this.#options.labelSelector,
        fieldSelector: this.#options.fieldSelector,
      },
      signal,
      attempts: 1,
    });
    await this.#consume(response, serverTimeout * 1000 + 30_000, signal);
  }

  /** Reads newline-delimited watch events until the stream ends; a silent connection is cut. */
  async #consume(response: IncomingMessage, idleLimitMs: number, signal: AbortSignal): Promise<void> {
    response.setEncoding("utf8");
    let idle = setTimeout(() => response.destroy(new Error(`no data for ${idleLimitMs} ms`)), idleLimitMs);
    const onAbort = () => response.destroy();
    signal.addEventListener("abort", onAbort, { once: true });
    let pending = "";
    try {
      for await (const chunk of response as AsyncIterable<string>) {
        clearTimeout(idle);
        idle = setTimeout(() => response.destroy(new Error(`no data for ${idleLimitMs} ms`)), idleLimitMs);
        pending += chunk;
        let newline = pending.indexOf("\n");
        while (newline >= 0) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          if (line.trim()) this.#apply(JSON.parse(line) as { type: string; object: T & { code?: number; message?: string; reason?: string } });
          newline = pending.indexOf("\n");
        }
      }
    } finally {
      clearTimeout(idle);
      signal.removeEventListener("abort", onAbort);
    }
  }

  #apply(event: { type: string; object: T & { code?: number; message?: string; reason?: string } }): void {
    const resourceVersion = event.object?.metadata?.resourceVersion;
    switch (event.type) {
      case "BOOKMARK":
        this.#resourceVersion = resourceVersion ?? this.#resourceVersion;
        return;
      case "ERROR":
        if (event.object.code === 410) throw new WatchExpiredError(event.object.message ?? "resourceVersion too old");
        throw new KubeApiError({ status: event.object.code ?? 500, reason: event.object.reason ?? "WatchError", message: event.object.message ?? "", verb: "WATCH", path: this.#options.path });
      case "ADDED":
      case "MODIFIED":
        this.#cache.set(keyOf(event.object), event.object);
        break;
      case "DELETED":
        this.#cache.delete(keyOf(event.object));
        break;
      default:
        return;
    }
    this.#resourceVersion = resourceVersion ?? this.#resourceVersion;
    this.#emit({ type: event.type, object: event.object });
  }

  #emit(event: WatchEvent<T>): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#options.log?.(`watch ${this.#describe()}: a listener threw: ${(error as Error).message}`);
      }
    }
  }

  #describe(): string {
    const selector = [this.#options.labelSelector, this.#options.fieldSelector].filter(Boolean).join(",");
    return selector ? `${this.#options.path}?${selector}` : this.#options.path;
  }
}

function keyOf(object: KubeObject): string {
  return cacheKey(object.metadata?.namespace, object.metadata?.name ?? "");
}

function cacheKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}
