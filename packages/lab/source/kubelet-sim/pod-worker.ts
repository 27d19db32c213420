import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { type ApiClient, isConflict, isNotFound } from "./api-client.ts";
import type { ContainerLog } from "./container-log.ts";
import { launchContainer, type PreparedContainer, prepareContainer } from "./container-launch.ts";
import { CreateContainerError } from "./container-plan.ts";
import type { RunningContainer } from "./container-process.ts";
import type { ContainerConfigError } from "./env.ts";
import type { EventRecorder, PodEvent } from "./events.ts";
import type { NodeFacts } from "./field-ref.ts";
import { type ImageCatalog, lookupImage } from "./image-catalog.ts";
import type { MemoryCgroups } from "./memory-cgroup.ts";
import { type ContainerRuntimeState, computePodStatus, type PodRuntimeState, podPhase } from "./pod-status.ts";
import { StatusPublisher } from "./status-publisher.ts";
import { terminationMessage } from "./termination-message.ts";
import type { Container, ContainerState, Pod } from "./types.ts";
import {
  prepareVolumes,
  refreshServiceAccountTokens,
  tokenRefreshDelayMs,
  type VolumeSetupError,
  type VolumeSources,
} from "./volume-content.ts";
import type { PodPaths } from "./volume-plan.ts";

// The life of one pod on the node, like the kubelet's pod worker: pull images, set up
// volumes, run the init containers in order, then the main containers, restart them per
// restartPolicy, enforce activeDeadlineSeconds, and on deletion stop the containers within
// the grace period and delete the pod object for good. Every change is pushed to
// pods/status (serialized, coalesced: only the newest status is sent).

export type PodWorkerContext = {
  api: ApiClient;
  dataDir: string;
  images: ImageCatalog;
  node: NodeFacts;
  sources: VolumeSources;
  cgroups: MemoryCgroups | undefined;
  /** Environment every container starts with (PATH, KUBERNETES_SERVICE_HOST/PORT), under the image's and its own. */
  baseEnv: Record<string, string>;
  /** First ImagePullBackOff delay; doubles up to 5 minutes, as the kubelet's. */
  imagePullBackoffMs: number;
  /** Retry delay after CreateContainerConfigError or a failed volume setup. */
  configRetryMs: number;
  recordEvent: EventRecorder;
  log(line: string): void;
};

type Slot = {
  spec: Container;
  init: boolean;
  state: ContainerRuntimeState;
  running?: RunningContainer;
  logs: ContainerLog[];
};

const maxBackoffMs = 300_000;
const crashLoopFirstMs = 10_000;
const deadlineMessage = "Pod was active on the node longer than the specified deadline";

/**
 * Test hook: a pod annotated with this key is evicted as if the node ran out of the
 * resource named in the value ("memory" when empty): killed at once, phase Failed, reason
 * Evicted, condition DisruptionTarget. There is no real resource pressure on the lab node.
 */
export const evictAnnotation = "lab.claude-k8s.dev/evict";

function evictionMessage(pod: Pod): string {
  const resource = pod.metadata.annotations?.[evictAnnotation] || "memory";
  return `The node was low on resource: ${resource}. `;
}

export class PodWorker {
  readonly key: string;
  #pod: Pod;
  readonly #ctx: PodWorkerContext;
  readonly #paths: PodPaths;
  readonly #slots: Slot[];
  readonly #runtime: PodRuntimeState;
  /** Aborted when the pod must stop (deletion, deadline, sim shutdown): every wait ends. */
  readonly #halt = new AbortController();
  #deadlineTimer: NodeJS.Timeout | undefined;
  #terminating: Promise<void> | undefined;
  #finished: Promise<void> = Promise.resolve();
  readonly #status: StatusPublisher;
  /** The pod object is gone or the sim stops: no more status updates or events. */
  #gone = false;
  /** Finished before this sim saw it: its status is not ours to rewrite. */
  #adoptedFinished = false;

  constructor(ctx: PodWorkerContext, pod: Pod) {
    this.#halt.signal.addEventListener("abort", () => clearTimeout(this.#tokenTimer));
    this.#ctx = ctx;
    this.#pod = pod;
    this.key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    this.#status = new StatusPublisher({
      api: ctx.api,
      key: this.key,
      log: ctx.log,
      pod: () => this.#pod,
      status: () => computePodStatus(this.#pod, this.#runtime, secondsTime(new Date()), ctx.node),
      patched: (status) => {
        this.#pod = { ...this.#pod, status };
      },
    });
    this.#paths = { podDir: join(ctx.dataDir, "pods", pod.metadata.uid), claimsDir: join(ctx.dataDir, "pvc") };
    const hasInit = (pod.spec.initContainers ?? []).length > 0;
    const slot = (spec: Container, init: boolean): Slot => ({
      spec,
      init,
      logs: [],
      state: { name: spec.name, restartCount: 0, state: { waiting: { reason: init || !hasInit ? "ContainerCreating" : "PodInitializing" } } },
    });
    this.#slots = [...(pod.spec.initContainers ?? []).map((c) => slot(c, true)), ...pod.spec.containers.map((c) => slot(c, false))];
    this.#runtime = {
      startTime: pod.status?.startTime ?? new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      sandboxReady: false,
      initContainers: this.#slots.filter((s) => s.init).map((s) => s.state),
      containers: this.#slots.filter((s) => !s.init).map((s) => s.state),
    };
    const phase = pod.status?.phase;
    if (phase === "Succeeded" || phase === "Failed") {
      // Finished before this sim saw it (a restarted sim): nothing to run, only deletion to honour.
      this.#adoptedFinished = true;
      this.#halt.abort();
    } else if (pod.status?.containerStatuses?.some((c) => c.state.running || c.state.terminated)) {
      // Its processes belonged to an earlier sim and are gone: report that instead of rerunning.
      this.#failLostPod();
    } else {
      this.#finished = this.#run().catch((error: Error) => ctx.log(`kubelet-sim: pod ${this.key}: ${error.stack ?? error.message}`));
    }
    this.update(pod);
  }

  get uid(): string {
    return this.#pod.metadata.uid;
  }

  /** The log of a container instance: the current one, or with `previous` the one before it. */
  logFor(container: string, previous: boolean): ContainerLog | undefined {
    const logs = this.#slots.find((s) => s.spec.name === container)?.logs ?? [];
    return previous ? logs.at(-2) : logs.at(-1);
  }

  /** A newer version of the pod from the watch. */
  update(pod: Pod): void {
    this.#pod = pod;
    if (pod.metadata.deletionTimestamp) void this.#terminate("deleted");
    else if (pod.metadata.annotations?.[evictAnnotation] !== undefined && !this.#adoptedFinished) void this.#terminate("evicted");
  }

  /** The pod object is gone: stop everything at once and remove its files. */
  async removed(): Promise<void> {
    this.#gone = true;
    this.#status.stop();
    this.#halt.abort();
    for (const slot of this.#slots) slot.running?.kill();
    await this.#finished;
    await Promise.all(this.#slots.map((s) => s.running?.exited));
    clearTimeout(this.#deadlineTimer);
    await rm(this.#paths.podDir, { recursive: true, force: true });
  }

  /** The sim is stopping: kill the containers (no status updates, the pod stays as it is). */
  async shutdown(): Promise<void> {
    this.#gone = true;
    this.#status.stop();
    this.#halt.abort();
    clearTimeout(this.#deadlineTimer);
    for (const slot of this.#slots) slot.running?.kill();
    await Promise.all(this.#slots.map((s) => s.running?.exited));
    await this.#finished;
  }

  async #run(): Promise<void> {
    const pod = this.#pod;
    this.#publish();
    const deadline = pod.spec.activeDeadlineSeconds;
    if (deadline !== undefined) {
      const remaining = Date.parse(this.#runtime.startTime) + deadline * 1000 - Date.now();
      this.#deadlineTimer = setTimeout(() => void this.#terminate("deadline"), Math.max(0, remaining));
    }
    await mkdir(this.#paths.podDir, { recursive: true });
    if (!(await this.#setUpVolumes())) return;
    this.#scheduleTokenRefresh();
    this.#runtime.sandboxReady = true;
    this.#publish();
    for (const slot of this.#slots.filter((s) => s.init)) {
      const exit = await this.#runWithRestarts(slot);
      if (exit !== 0) return this.#publish();
    }
    for (const slot of this.#slots.filter((s) => !s.init)) {
      if (slot.state.state.waiting) slot.state.state = { waiting: { reason: "ContainerCreating" } };
    }
    this.#publish();
    await Promise.all(this.#slots.filter((s) => !s.init).map((s) => this.#runWithRestarts(s)));
    clearTimeout(this.#deadlineTimer);
    this.#publish();
  }

  #tokenTimer: NodeJS.Timeout | undefined;
  /** Renews projected service-account tokens while the pod runs (long agent runs outlive an hour). */
  #scheduleTokenRefresh(): void {
    const delay = tokenRefreshDelayMs(this.#pod);
    if (delay === undefined || this.#halt.signal.aborted) return;
    this.#tokenTimer = setTimeout(async () => {
      try {
        await refreshServiceAccountTokens(this.#pod, this.#paths, this.#ctx.sources);
        this.#scheduleTokenRefresh();
      } catch (error) {
        this.#ctx.log(`kubelet-sim: pod ${this.key}: token refresh failed (retrying in 10 s): ${(error as Error).message}`);
        this.#tokenTimer = setTimeout(() => this.#scheduleTokenRefresh(), 10_000);
        this.#tokenTimer.unref();
      }
    }, delay);
    this.#tokenTimer.unref();
  }

  async #setUpVolumes(): Promise<boolean> {
    let delay = this.#ctx.configRetryMs;
    while (!this.#halt.signal.aborted) {
      try {
        await prepareVolumes(this.#pod, this.#paths, this.#ctx.sources, this.#ctx.node);
        return true;
      } catch (error) {
        // As on a real node: the pod stays ContainerCreating; the reason is an event there, a log line here.
        this.#ctx.log(`kubelet-sim: pod ${this.key}: ${(error as VolumeSetupError).message}; retrying`);
        this.#event({ type: "Warning", reason: "FailedMount", message: (error as VolumeSetupError).message });
        await this.#sleep(delay);
        delay = Math.min(delay * 2, 30_000);
      }
    }
    return false;
  }

  /** Runs one container until it is done for good; returns its last exit code (undefined if it never ran). */
  async #runWithRestarts(slot: Slot): Promise<number | undefined> {
    const policy = this.#pod.spec.restartPolicy ?? "Always";
    let backoff = crashLoopFirstMs;
    for (;;) {
      const exit = await this.#runOnce(slot);
      if (exit === undefined || this.#halt.signal.aborted) return exit;
      const restart = policy === "Always" ? !slot.init || exit !== 0 : policy === "OnFailure" && exit !== 0;
      if (!restart) return exit;
      const last = slot.state.state;
      slot.state.lastState = last;
      slot.state.restartCount++;
      const p = this.#pod.metadata;
      slot.state.state = {
        waiting: {
          reason: "CrashLoopBackOff",
          message: `back-off ${backoff / 1000}s restarting failed container=${slot.spec.name} pod=${p.name}_${p.namespace}(${p.uid})`,
        },
      };
      this.#publish();
      this.#event({
        type: "Warning",
        reason: "BackOff",
        message: `Back-off restarting failed container ${slot.spec.name} in pod ${p.name}_${p.namespace}(${p.uid})`,
        container: { name: slot.spec.name, init: slot.init },
      });
      await this.#sleep(backoff);
      backoff = Math.min(backoff * 2, maxBackoffMs);
    }
  }

  async #runOnce(slot: Slot): Promise<number | undefined> {
    const ctx = this.#ctx;
    const pod = this.#pod;
    const container = { name: slot.spec.name, init: slot.init };
    const setWaiting = (reason: string, message?: string) => {
      slot.state.state = { waiting: message ? { reason, message } : { reason } };
      this.#publish();
    };

    // 1. The image.
    const image = lookupImage(ctx.images, slot.spec.image);
    if (image.kind === "invalid") {
      setWaiting(image.reason, image.message);
      this.#event({ type: "Warning", reason: "InspectFailed", message: image.message, container });
      await this.#sleep(Number.POSITIVE_INFINITY);
      return undefined;
    }
    if (image.kind === "missing") {
      let delay = ctx.imagePullBackoffMs;
      this.#event({ type: "Normal", reason: "Pulling", message: `Pulling image "${slot.spec.image}"`, container });
      this.#event({ type: "Warning", reason: "Failed", message: image.message, container });
      this.#event({ type: "Normal", reason: "BackOff", message: `Back-off pulling image "${slot.spec.image}"`, container });
      while (!this.#halt.signal.aborted) {
        setWaiting("ErrImagePull", image.message);
        await this.#sleep(Math.min(delay, 1_000));
        if (this.#halt.signal.aborted) break;
        setWaiting("ImagePullBackOff", `Back-off pulling image "${slot.spec.image}"`);
        await this.#sleep(delay);
        delay = Math.min(delay * 2, maxBackoffMs);
      }
      return undefined;
    }
    if (image.pullDelayMs > 0 && slot.state.restartCount === 0) {
      setWaiting(slot.state.state.waiting?.reason ?? "ContainerCreating");
      this.#event({ type: "Normal", reason: "Pulling", message: `Pulling image "${slot.spec.image}"`, container });
      await this.#sleep(image.pullDelayMs);
      const seconds = (image.pullDelayMs / 1000).toFixed(1);
      this.#event({ type: "Normal", reason: "Pulled", message: `Successfully pulled image "${slot.spec.image}" in ${seconds}s`, container });
    } else if (slot.state.restartCount === 0) {
      this.#event({ type: "Normal", reason: "Pulled", message: `Container image "${slot.spec.image}" already present on machine`, container });
    }

    // 2. Configuration: env, argv, user, mounts. A missing Secret key is retried, as the kubelet does.
    let delay = ctx.configRetryMs;
    let prepared: PreparedContainer | undefined;
    while (!prepared && !this.#halt.signal.aborted) {
      try {
        prepared = await prepareContainer(pod, slot.spec, image.image, { ...ctx, paths: this.#paths });
      } catch (error) {
        if (error instanceof CreateContainerError) {
          setWaiting("CreateContainerError", error.message);
          this.#event({ type: "Warning", reason: "Failed", message: `Error: ${error.message}`, container });
          await this.#sleep(Number.POSITIVE_INFINITY);
          return undefined;
        }
        // ContainerConfigError carries the kubelet's wording; anything else (an API error) is shown as it is.
        setWaiting("CreateContainerConfigError", (error as ContainerConfigError).message);
        this.#event({ type: "Warning", reason: "Failed", message: `Error: ${(error as ContainerConfigError).message}`, container });
        await this.#sleep(delay);
        delay = Math.min(delay * 2, 30_000);
      }
    }
    if (!prepared || this.#halt.signal.aborted) return undefined;

    // 3. Start it.
    const { running, containerID, terminationLogPath } = await launchContainer(pod, slot.spec, prepared, slot.state.restartCount, {
      paths: this.#paths,
      cgroups: ctx.cgroups,
    });
    slot.running = running;
    slot.logs.push(running.log);
    this.#event({ type: "Normal", reason: "Created", message: `Created container: ${slot.spec.name}`, container });
    this.#event({ type: "Normal", reason: "Started", message: `Started container ${slot.spec.name}`, container });
    const startedAt = secondsTime(running.startedAt);
    slot.state.containerID = containerID;
    slot.state.state = { running: { startedAt } };
    this.#publish();
    // A stop requested while we were starting must not be missed: SIGKILL when the pod is
    // gone, the sim stops or the grace period already ran out, else SIGTERM (the pending
    // grace timer kills it later).
    if (this.#halt.signal.aborted) {
      if (this.#gone || Date.now() >= this.#killAt) running.kill();
      else running.terminate();
    }

    const exit = await running.exited;
    slot.running = undefined;
    const message =
      exit.message ??
      (await terminationMessage({ hostPath: terminationLogPath, policy: slot.spec.terminationMessagePolicy, exitCode: exit.exitCode, log: running.log }));
    slot.state.state = {
      terminated: {
        exitCode: exit.exitCode,
        reason: exit.reason,
        ...(message ? { message } : {}),
        startedAt,
        finishedAt: secondsTime(exit.finishedAt),
        containerID,
      },
    };
    this.#publish();
    return exit.exitCode;
  }

  /** Deletion or deadline: SIGTERM, SIGKILL after the grace period, final status; on deletion also delete the object. */
  #terminate(why: "deleted" | "deadline" | "evicted"): Promise<void> {
    if (this.#terminating) {
      if (why !== "deleted") return this.#terminating;
      // Deleted while a deadline or an eviction is stopping it, or deleted again with a
      // shorter grace period (--grace-period=0 after a normal delete): honour the shorter
      // grace, and the object must still be deleted once the containers are gone.
      this.#killAfter(this.#graceSeconds("deleted"));
      return this.#terminating.then(() => this.#deleteObjectOnce());
    }
    this.#terminating = (async () => {
      if (why === "deadline") this.#runtime.failure = { reason: "DeadlineExceeded", message: deadlineMessage };
      if (why === "evicted") {
        const message = evictionMessage(this.#pod);
        this.#runtime.failure = { reason: "Evicted", message };
        this.#runtime.disruption = { reason: "TerminationByKubelet", message };
        this.#event({ type: "Warning", reason: "Evicted", message });
      }
      this.#halt.abort();
      clearTimeout(this.#deadlineTimer);
      if (why === "deadline") this.#event({ type: "Normal", reason: "DeadlineExceeded", message: deadlineMessage });
      for (const slot of this.#slots) {
        if (!slot.running) continue;
        this.#event({ type: "Normal", reason: "Killing", message: `Stopping container ${slot.spec.name}`, container: { name: slot.spec.name, init: slot.init } });
        slot.running.terminate();
      }
      this.#killAfter(this.#graceSeconds(why));
      await Promise.all(this.#slots.map((s) => s.running?.exited));
      await this.#finished;
      if (why === "deleted") {
        // Containers that never ran are reported as the kubelet does for a pod torn down before they started.
        for (const slot of this.#slots) {
          if (!slot.state.state.waiting) continue;
          slot.state.state = {
            terminated: {
              exitCode: 137,
              reason: "ContainerStatusUnknown",
              message: "The container could not be located when the pod was terminated",
              finishedAt: secondsTime(new Date()),
            },
          };
        }
      }
      this.#publish();
      await this.#statusSettled();
      if (why === "deleted") await this.#deleteObjectOnce();
    })();
    return this.#terminating;
  }

  #deletion: Promise<void> | undefined;
  #deleteObjectOnce(): Promise<void> {
    this.#deletion ??= this.#deleteObject();
    return this.#deletion;
  }

  #killTimer: NodeJS.Timeout | undefined;
  #killAt = Number.POSITIVE_INFINITY;
  #killAfter(seconds: number): void {
    const at = Date.now() + seconds * 1000;
    if (at >= this.#killAt) return;
    this.#killAt = at;
    clearTimeout(this.#killTimer);
    this.#killTimer = setTimeout(() => {
      for (const slot of this.#slots) slot.running?.kill();
    }, seconds * 1000);
    this.#killTimer.unref();
  }

  #graceSeconds(why: "deleted" | "deadline" | "evicted"): number {
    // Eviction on a hard threshold gives no grace, as the kubelet's.
    if (why === "evicted") return 0;
    const spec = this.#pod.spec.terminationGracePeriodSeconds ?? 30;
    if (why === "deadline") return spec;
    return this.#pod.metadata.deletionGracePeriodSeconds ?? spec;
  }

  async #deleteObject(): Promise<void> {
    const { namespace, name, uid } = this.#pod.metadata;
    try {
      await this.#ctx.api.json("DELETE", `/api/v1/namespaces/${namespace}/pods/${name}`, {
        body: { apiVersion: "v1", kind: "DeleteOptions", gracePeriodSeconds: 0, preconditions: { uid } },
      });
    } catch (error) {
      if (!isNotFound(error) && !isConflict(error)) this.#ctx.log(`kubelet-sim: deleting pod ${this.key} failed: ${(error as Error).message}`);
    }
  }

  #failLostPod(): void {
    const lost: ContainerState = {
      terminated: { exitCode: 137, reason: "ContainerStatusUnknown", message: "The container could not be located when the pod was terminated", finishedAt: secondsTime(new Date()) },
    };
    for (const slot of this.#slots) slot.state.state = lost;
    this.#runtime.failure = { reason: "NodeRestarted", message: "kubelet-sim restarted while the pod ran; its processes are gone" };
    this.#halt.abort();
    this.#publish();
  }

  #eventsSent = new Set<string>();
  /** Records an event once per pod (a real kubelet would count repeats instead). */
  #event(event: PodEvent): void {
    const key = `${event.container?.name ?? ""}/${event.reason}/${event.message}`;
    if (this.#eventsSent.has(key) || this.#gone) return;
    this.#eventsSent.add(key);
    this.#ctx.recordEvent(this.#pod, event);
  }

  /** Resolves after `ms`, or at once when the pod must stop. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.#halt.signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.#halt.signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
      this.#halt.signal.addEventListener("abort", done);
    });
  }

  #publish(): void {
    if (this.#gone || this.#adoptedFinished) return;
    this.#status.publish();
  }

  #statusSettled(): Promise<void> {
    return this.#status.settled();
  }

  /** For tests and the log server: the phase the sim would report now. */
  get phase() {
    return podPhase(this.#pod, this.#runtime);
  }
}

function secondsTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
