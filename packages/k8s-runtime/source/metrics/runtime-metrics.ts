import { type Counter, type Histogram, type MeterProvider, metrics, type UpDownCounter } from "@opentelemetry/api";

/**
 * The runtime's metrics, through the OpenTelemetry API only: without a MeterProvider
 * registered by the host (Paperclip or whatever embeds the adapter) every instrument is
 * the API's no-op and costs nothing. Instruments are looked up again when the global
 * provider changes, so a host that registers its SDK after the adapter loaded still gets
 * every value. Names and units follow the OpenTelemetry conventions (dot-separated,
 * UCUM units, durations in seconds); the adapter's README lists them.
 */
export const METER_NAME = "@claude-k8s/k8s-runtime";

export type RunOutcomeClass = "success" | "failure" | "cancelled" | "timeout";

interface Instruments {
  runs: Counter;
  runsActive: UpDownCounter;
  runsAdopted: Counter;
  jobStartup: Histogram;
  resultLatency: Histogram;
  apiRequests: Counter;
  watchRestarts: Counter;
  watchRelists: Counter;
  sweepDeletions: Counter;
}

let provider: MeterProvider | undefined;
let instruments: Instruments | undefined;

function current(): Instruments {
  const now = metrics.getMeterProvider();
  if (instruments && provider === now) return instruments;
  provider = now;
  const meter = now.getMeter(METER_NAME);
  // Boundaries in seconds: a pod starts in seconds to minutes (image pulls); a result follows an exit in well under a minute.
  const startupBuckets = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600];
  const resultBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
  instruments = {
    runs: meter.createCounter("claude_k8s.runs", { unit: "{run}", description: "Runs finished, by outcome class and error code" }),
    runsActive: meter.createUpDownCounter("claude_k8s.runs.active", { unit: "{run}", description: "Runs in flight in this process" }),
    runsAdopted: meter.createCounter("claude_k8s.runs.adopted", { unit: "{run}", description: "Runs that adopted a Job left running instead of starting one" }),
    jobStartup: meter.createHistogram("claude_k8s.job.startup.duration", { unit: "s", description: "From the Job's create to its container running", advice: { explicitBucketBoundaries: startupBuckets } }),
    resultLatency: meter.createHistogram("claude_k8s.run.result.duration", { unit: "s", description: "From the container's exit to the run's result (log drain and cleanup included)", advice: { explicitBucketBoundaries: resultBuckets } }),
    apiRequests: meter.createCounter("claude_k8s.api.requests", { unit: "{request}", description: "Kubernetes API requests sent (retries count), by verb, resource and status" }),
    watchRestarts: meter.createCounter("claude_k8s.watch.restarts", { unit: "{restart}", description: "Watch streams re-opened after they ended or failed" }),
    watchRelists: meter.createCounter("claude_k8s.watch.relists", { unit: "{relist}", description: "Full relists after a watch's resourceVersion expired (410 Gone)" }),
    sweepDeletions: meter.createCounter("claude_k8s.sweep.deletions", { unit: "{object}", description: "Leftover objects the orphan sweep deleted, by resource" }),
  };
  return instruments;
}

export const runtimeMetrics = {
  runFinished(outcome: RunOutcomeClass, errorCode: string | undefined): void {
    current().runs.add(1, { "claude_k8s.run.outcome": outcome, ...(errorCode ? { "error.type": errorCode } : {}) });
  },
  runStarted(): void {
    current().runsActive.add(1);
  },
  runEnded(): void {
    current().runsActive.add(-1);
  },
  runAdopted(): void {
    current().runsAdopted.add(1);
  },
  jobStarted(seconds: number): void {
    current().jobStartup.record(seconds);
  },
  resultReady(secondsAfterExit: number): void {
    current().resultLatency.record(secondsAfterExit);
  },
  apiRequest(verb: string, resource: string, status: number | "unreachable"): void {
    current().apiRequests.add(1, { "claude_k8s.api.verb": verb, "claude_k8s.api.resource": resource, "http.response.status_code": status === "unreachable" ? 0 : status });
  },
  watchRestarted(resource: string): void {
    current().watchRestarts.add(1, { "claude_k8s.api.resource": resource });
  },
  watchRelisted(resource: string): void {
    current().watchRelists.add(1, { "claude_k8s.api.resource": resource });
  },
  sweepDeleted(resource: string, count: number): void {
    if (count > 0) current().sweepDeletions.add(count, { "claude_k8s.api.resource": resource });
  },
};

/** The outcome class of an adapter error code (none = success), as the CLI's exit statuses class them. */
export function outcomeClassOf(errorCode: string | undefined | null): RunOutcomeClass {
  if (!errorCode) return "success";
  if (errorCode === "cancelled") return "cancelled";
  if (errorCode === "timeout") return "timeout";
  return "failure";
}
