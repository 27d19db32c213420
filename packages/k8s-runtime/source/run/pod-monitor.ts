import { classifyPodStatus, noteWaitingReasons, type PodBudgets, type PodVerdict } from "../decisions/classify-pod-status.ts";
import { selectOwnedPod } from "../decisions/select-owned-pod.ts";
import type { PodLike } from "../kube-objects.ts";
import { type LongTimeout, setLongTimeout } from "../kube/long-timeout.ts";
import type { SharedWatch } from "../kube/shared-watch.ts";

export interface PodObservation {
  pod: PodLike;
  verdict: PodVerdict;
}

/**
 * Follows the one pod owned by a Job (by UID) through the namespace's shared pod watch and
 * re-classifies it on every change, and again when a budget or grace window runs out (a
 * pod stuck in ImagePullBackOff produces no events: a timer must notice the grace is over).
 * Calls `onChange` when the verdict's kind, stage or reason changes.
 */
export class PodMonitor {
  readonly #pods: SharedWatch<PodLike>;
  readonly #jobUid: string;
  readonly #containerName: string;
  readonly #budgets: PodBudgets;
  readonly #onChange: (observation: PodObservation) => void;
  readonly #now: () => number;
  #firstSeen = new Map<string, number>();
  #last: PodObservation | undefined;
  #lastKey = "";
  #timer: LongTimeout | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(options: { pods: SharedWatch<PodLike>; jobUid: string; containerName: string; budgets: PodBudgets; onChange: (observation: PodObservation) => void; now?: () => number }) {
    this.#pods = options.pods;
    this.#jobUid = options.jobUid;
    this.#containerName = options.containerName;
    this.#budgets = options.budgets;
    this.#onChange = options.onChange;
    this.#now = options.now ?? Date.now;
  }

  start(): void {
    this.#unsubscribe = this.#pods.subscribe(() => this.#evaluate());
    void this.#pods.synced().then(() => this.#evaluate());
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#timer?.clear();
  }

  get current(): PodObservation | undefined {
    return this.#last;
  }

  #evaluate(): void {
    if (!this.#pods.isSynced) return;
    const pod = selectOwnedPod(this.#pods.list(), this.#jobUid);
    if (!pod) return;
    const now = this.#now();
    this.#firstSeen = noteWaitingReasons(this.#firstSeen, pod, now);
    const verdict = classifyPodStatus({ pod, containerName: this.#containerName, now, budgets: this.#budgets, firstSeen: this.#firstSeen });
    this.#last = { pod, verdict };
    this.#schedule(verdict, now);
    const key = `${verdict.kind}|${"stage" in verdict ? verdict.stage : ""}|${"reason" in verdict ? verdict.reason : ""}|${pod.metadata?.uid ?? ""}`;
    if (key === this.#lastKey) return;
    this.#lastKey = key;
    this.#onChange(this.#last);
  }

  /** Wake up when the next budget or grace window can change the verdict without any event. */
  #schedule(verdict: PodVerdict, now: number): void {
    this.#timer?.clear();
    this.#timer = undefined;
    if (verdict.kind !== "waiting") return;
    const candidates = [verdict.deadlineAt];
    for (const since of this.#firstSeen.values()) {
      candidates.push(since + this.#budgets.imagePullBackOffGraceMs, since + this.#budgets.containerConfigErrorGraceMs);
    }
    const next = Math.min(...candidates.filter((at): at is number => at !== undefined && at > now));
    if (!Number.isFinite(next)) return;
    // A budget of weeks is past what one setTimeout can wait: a plain timer would fire at once, and again.
    this.#timer = setLongTimeout(() => this.#evaluate(), Math.max(0, next - now) + 5);
  }
}
