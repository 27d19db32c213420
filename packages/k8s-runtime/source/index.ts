export { classifyJobStatus, type JobVerdict } from "./decisions/classify-job-status.ts";
export {
  classifyPodStatus,
  defaultPodBudgets,
  noteWaitingReasons,
  type PodBudgets,
  type PodClassificationInput,
  type PodFailureCode,
  type PodVerdict,
} from "./decisions/classify-pod-status.ts";
export { isOwnedBy, selectOwnedPod } from "./decisions/select-owned-pod.ts";
export type { ContainerStatus, JobLike, ObjectMeta, PodLike } from "./kube-objects.ts";
export { createKubeClient, type KubeClient, type KubeRequest, type Query, type Verb } from "./kube/kube-client.ts";
export { KubeApiError, KubeUnreachableError } from "./kube/kube-api-error.ts";
export { SharedWatch, type KubeObject, type SharedWatchOptions, type WatchEvent, type WatchListener } from "./kube/shared-watch.ts";
export { WatchHub, type WatchKey, type WatchLease } from "./kube/watch-hub.ts";
export { type Admission, type AdmissionPolicy, type BlockReason, decideAdmission, isUnfinished, OWNER_ANNOTATION, type OwnerLastSeen, type RunToAdmit } from "./decisions/decide-admission.ts";
export { hashLine, ResumeAligner } from "./logs/resume-aligner.ts";
export { type AgentLock, AgentLockBusyError, type AgentLockOptions, acquireAgentLock, agentLockName } from "./exclusivity/agent-lock.ts";
export { newOwnerId, OwnerHeartbeat, type OwnerLiveness, ownerLastSeenFrom, ownerLeaseName } from "./exclusivity/owner-heartbeat.ts";
export { RenewalObserver } from "./exclusivity/observed-renewals.ts";
export { decideSettlement, JOB_REVERIFY_MS, type JobKnowledge, type RunObservation, type RunSettlement, type SettleDecision } from "./decisions/settle-run.ts";
export { type LongTimeout, MAX_SET_TIMEOUT_MS, setLongTimeout } from "./kube/long-timeout.ts";
export { checkRunDurations, MAX_RUN_DURATION_MS, type RunDurations } from "./run/check-run-durations.ts";
export { type ReconcileRunOptions, reconcileRun } from "./run/reconcile-run.ts";
export { type JobRef, readJobFresh } from "./run/read-job.ts";
export { Wakeup } from "./run/wakeup.ts";
export { type CleanupOptions, type CleanupOutcome, cleanupRun, waitForJobGone } from "./run/cleanup-run.ts";
export { type CreatedJob, type LaunchOptions, type LaunchResult, launchRun } from "./run/launch-run.ts";
export { acquireNamespaceWatches, MANAGED_SELECTOR, type NamespaceWatches } from "./run/namespace-watches.ts";
export { RunError } from "./run/run-errors.ts";
export { waitForWatch } from "./run/wait-for.ts";
export { type FollowLogOptions, type FollowLogReport, followContainerLog } from "./logs/follow-container-log.ts";
export { LineBuffer } from "./logs/line-buffer.ts";
export { type PodObservation, PodMonitor } from "./run/pod-monitor.ts";
export { type ContainerExit, type LaunchedJob, type RunJobOptions, type RunJobOutcome, runJob } from "./run/run-job.ts";
export { createRuntimeContext, type RuntimeContext } from "./run/runtime-context.ts";
export { type CloseOnShutdownOptions, closeOnShutdown } from "./run/close-on-shutdown.ts";
export { defaultSweepPolicy, planSweep, type SecretLike, type SweepItem, type SweepPlan, type SweepPolicy } from "./decisions/plan-sweep.ts";
export { type SweepReport, sweepNamespace } from "./run/sweep-namespace.ts";
export { discardFinishedRun, type FinishedRun, findFinishedRuns } from "./run/finished-runs.ts";
export { type PeriodicSweep, startPeriodicSweep } from "./run/periodic-sweep.ts";
export type { EventLike } from "./run/namespace-watches.ts";
export { type KubeTarget, KubeTargetError, resolveKubeTarget, runsInCluster } from "./target/kube-target.ts";
export { describeSelfPod, selfPodInfo } from "./target/self-pod.ts";
export { EXPLAIN_LIMITS, explainPodFailure, type FailingContainer, firstFailingContainer, type PodFailureFacts } from "./decisions/explain-pod-failure.ts";
export { adoptedEvent, type JobRefForEvent, jobEventObject, type RunEndFacts, type RunEvent, type RunEventReason, runEndEvents } from "./decisions/run-events.ts";
export { type RecordJobEventOptions, recordJobEvent } from "./run/record-job-event.ts";
export type { LogFields, LogLevel, RuntimeLog } from "./log-fields.ts";
export { type ApiRequestKind, apiRequestKind } from "./metrics/api-request-kind.ts";
export { METER_NAME, outcomeClassOf, type RunOutcomeClass, runtimeMetrics } from "./metrics/runtime-metrics.ts";
export { type DryRunFinding, dryRunCreate } from "./run/dry-run-create.ts";
export {
  AGENT_VOLUME_PENDING,
  type AgentVolumeVerdict,
  type ClaimLike,
  classifyAgentVolume,
  type StorageClassFacts,
  storageClassFacts,
} from "./decisions/classify-agent-volume.ts";
export { type AgentVolumeReport, type EnsureAgentVolumeOptions, ensureAgentVolume } from "./volumes/ensure-agent-volume.ts";
export { type AgentVolumeItem, type AgentVolumeSweep, sweepAgentVolumes } from "./volumes/agent-volumes.ts";
