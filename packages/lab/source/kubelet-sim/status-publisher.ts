import { type ApiClient, isConflict, isNotFound } from "./api-client.ts";
import type { Pod, PodStatus } from "./types.ts";

// Sends a pod's status to the API server the way the kubelet's status manager does: one
// request at a time, only the newest status (changes made while a request is in flight
// are coalesced into the next one), nothing when it did not change, retries with backoff.
// A merge patch of pods/status carrying metadata.uid: the UID acts as a precondition, so a
// new pod of the same name is never written with an old pod's status.

export type StatusPublisherOptions = {
  api: ApiClient;
  /** "namespace/name", for log lines. */
  key: string;
  log(line: string): void;
  /** The pod as last seen (path and UID). */
  pod(): Pod;
  /** The status to report now. */
  status(): PodStatus;
  /** The status the API server stored (it feeds the next computation's transition times). */
  patched(status: PodStatus): void;
};

export class StatusPublisher {
  readonly #options: StatusPublisherOptions;
  #inFlight: Promise<void> | undefined;
  #dirty = false;
  #lastSent = "";
  #stopped = false;

  constructor(options: StatusPublisherOptions) {
    this.#options = options;
  }

  /** Schedules a status update (cheap: call it after every change). */
  publish(): void {
    if (this.#stopped) return;
    this.#dirty = true;
    if (this.#inFlight) return;
    this.#inFlight = this.#drain().finally(() => {
      this.#inFlight = undefined;
      if (this.#dirty && !this.#stopped) this.publish();
    });
  }

  /** Resolves once every scheduled update was sent (or given up). */
  async settled(): Promise<void> {
    while (this.#inFlight) await this.#inFlight;
  }

  /** No more updates: the pod is gone or the sim stops. */
  stop(): void {
    this.#stopped = true;
  }

  async #drain(): Promise<void> {
    const o = this.#options;
    let failures = 0;
    while (this.#dirty && !this.#stopped) {
      this.#dirty = false;
      const status = o.status();
      const body = JSON.stringify(status);
      if (body === this.#lastSent) continue;
      const { namespace, name, uid } = o.pod().metadata;
      try {
        const updated = await o.api.json<Pod>("PATCH", `/api/v1/namespaces/${namespace}/pods/${name}/status`, {
          body: { metadata: { uid }, status },
          contentType: "application/merge-patch+json",
        });
        this.#lastSent = body;
        if (updated?.status) o.patched(updated.status);
        failures = 0;
      } catch (error) {
        if (isNotFound(error) || isConflict(error)) return; // this pod (this UID) is gone
        failures++;
        o.log(`kubelet-sim: status update of pod ${o.key} failed (retrying): ${(error as Error).message}`);
        this.#dirty = true;
        await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** failures, 10_000)));
      }
    }
  }
}
