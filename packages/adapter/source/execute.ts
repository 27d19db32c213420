import { acquireNamespaceWatches, cleanupRun, defaultPodBudgets, outcomeClassOf, RunError, type RunJobOutcome, runJob, runtimeMetrics } from "@claude-k8s/k8s-runtime";
import {
  type AdapterConfig,
  buildRunManifests,
  enforceAgentPolicy,
  findPolicyViolations,
  ManifestError,
  type OperatorPolicy,
  parseAdapterConfig,
  policyError,
  resumeSessionId,
  type RunContext,
  type RunManifests,
  type RunSkill,
  taskIdOf,
} from "@claude-k8s/manifest";
import { createDeduper, createStreamParser } from "@claude-k8s/stream-parser";
import { readAgentInstructions } from "./agent-instructions.ts";
import { logWorkspaceMode, withWorkspaceMode } from "./agent-volume.ts";
import { billingFacts } from "./credentials.ts";
import { toExecutionResult } from "./execution-result.ts";
import { recoverLostRuns } from "./lost-runs.ts";
import { recoveredSummary } from "./recovered-summary.ts";
import { KubeTargetError, resolveKubeTarget, runtimeFor } from "./kube-access.ts";
import { policyFromEnv } from "./operator-policy.ts";
import type { AdapterExecutionContext, AdapterExecutionResult } from "./paperclip-types.ts";
import { createRedactor } from "./redact-secrets.ts";
import { serverLog } from "./server-log.ts";
import { rtkHookProgram } from "./rtk-hook-program.ts";
import { readSkillBundle } from "./skill-bundle.ts";
import { selfPodInfo } from "./self-pod.ts";
import { prepareSharedDirectories } from "./shared-volume.ts";

export const ADAPTER_TYPE = "claude_k8s";
/** How many trailing log lines a pod-level failure message quotes. */
const FAILURE_TAIL_LINES = 30;
/** How many trailing text lines (the CLI's stderr, shell errors) the outcome reads. */
const STDERR_TAIL_LINES = 200;

/**
 * Paperclip's `execute`: one run of one agent as a Kubernetes Job. Never throws for a
 * run-level problem: every failure comes back as a result with a code and a message that
 * names the object and the next step. Agent config is held to the operator's policy from
 * the server's environment.
 */
export async function execute(ctx: AdapterExecutionContext): Promise<AdapterExecutionResult> {
  let policy: OperatorPolicy;
  try {
    policy = policyFromEnv();
  } catch (error) {
    const result = failure("k8s_config_invalid", (error as Error).message);
    runtimeMetrics.runFinished("failure", result.errorCode ?? undefined);
    return result;
  }
  return executeWithPolicy(ctx, policy);
}

/** execute() under a given policy: the CLI passes the operator's (its config is the operator's own). */
export async function executeWithPolicy(ctx: AdapterExecutionContext, policy: OperatorPolicy): Promise<AdapterExecutionResult> {
  try {
    // An unknown CLAUDE_K8S_LOG_FORMAT is refused before anything could be logged in a format nobody reads.
    serverLog();
  } catch (error) {
    runtimeMetrics.runFinished("failure", "k8s_config_invalid");
    return failure("k8s_config_invalid", (error as Error).message);
  }
  const result = await executeOnce(ctx, policy);
  // Once per run, whatever it took (a fresh-session retry is one run): the metric and the server log's last word.
  runtimeMetrics.runFinished(outcomeClassOf(result.errorCode), result.errorCode ?? undefined);
  const fields = { runId: ctx.runId, agentId: ctx.agent.id };
  if (result.errorCode) serverLog().log(result.errorCode === "cancelled" ? "info" : "warn", `run failed: ${result.errorCode}`, fields);
  else serverLog().log("info", "run succeeded", fields);
  return result;
}

async function executeOnce(ctx: AdapterExecutionContext, policy: OperatorPolicy): Promise<AdapterExecutionResult> {
  const status = (line: string) => ctx.onLog("stdout", `[claude-k8s] ${line}\n`);
  const parsed = parseAdapterConfig(ctx.config);
  if (!parsed.ok) return failure("k8s_config_invalid", parsed.error.message);
  for (const warning of parsed.warnings) await status(`config: ${warning}`);
  const config = parsed.config;

  try {
    // A kubeconfig is loaded before anything else can be checked: its key is judged first.
    const kubeconfigViolations = findPolicyViolations(config, policy, {}).filter((violation) => violation.key === "kubeconfig");
    if (kubeconfigViolations.length > 0) throw policyError(kubeconfigViolations);
    const target = resolveKubeTarget(config.kubeconfig, process.env, { fromAgentConfig: !policy.trustsConfig });
    const runtime = await runtimeFor(target);
    // The server's own pod only describes the cluster it runs in: a kubeconfig for another
    // cluster gets nothing from it (its namespace, claim and Secrets do not exist there).
    const selfPod = target.inCluster ? await selfPodInfo((line) => void status(line)) : undefined;
    enforceAgentPolicy(config, policy, { ...(selfPod?.namespace ? { serverNamespace: selfPod.namespace } : {}), ...(selfPod?.dataVolumeClaim ? { serverClaim: selfPod.dataVolumeClaim } : {}) });
    const rtkHook = config.enableRtk ? await rtkHookProgram() : undefined;
    const run = runContextOf(ctx);
    const workspace = (ctx.context?.paperclipWorkspace ?? {}) as { cwd?: unknown };
    const instructions = await readAgentInstructions(
      config,
      policy,
      { agentId: ctx.agent.id, companyId: ctx.agent.companyId, workspaceCwd: typeof workspace.cwd === "string" ? workspace.cwd : config.cwd },
      (line) => void status(line),
    );
    const { skills, skipped } = await runtimeSkills(ctx.config, config.workspaceVolumeClaim || selfPod?.dataVolumeClaim ? config.serverMountPath ?? selfPod?.dataMountPath ?? config.workspaceMountPath : undefined);
    if (skills.length > 0) await status(`skills bundled: ${skills.map((skill) => `${skill.runtimeName}${skill.files ? " (shipped with the run)" : ""}`).join(", ")}`);
    for (const note of skipped) await status(note);

    const signal = ctx.signal ?? new AbortController().signal;
    const manifestsFor = (context: RunContext) =>
      buildRunManifests({
        config,
        run: context,
        ...(selfPod ? { selfPod } : {}),
        skills,
        ...(instructions ? { instructions } : {}),
        ...(rtkHook ? { rtkHook } : {}),
        operatorInheritEnv: policy.inheritEnv,
        instanceId: runtime.instanceId,
      });
    const attempt = async (context: RunContext) => {
      const manifests = manifestsFor(context);
      await prepareSharedDirectories(manifests, config);
      runtime.sweepPeriodically(manifests.names.namespace);
      for (const warning of manifests.warnings) await status(warning);
      await logWorkspaceMode(manifests, status);
      const once = await runOnce(ctx, config, manifests, context, runtime, signal, status);
      return { ...once, result: withWorkspaceMode(once.result, manifests) };
    };

    // A run of this task that finished while no adapter process followed it: its session goes on here.
    // Best effort: a failure to look is said and never stops this run.
    const lost = await recoverLostRuns({ runtime, namespace: manifestsFor(run).names.namespace, run, ownerStaleAfterMs: ownerStaleAfterMs(), status, signal }).catch(async (error: unknown) => {
      if (error instanceof ManifestError) throw error;
      if (!signal.aborted) await status(`could not look for runs of this task that finished unobserved: ${(error as Error).message}`);
      return { recovered: [], resumeSessionId: undefined };
    });
    const withRecovered = (result: AdapterExecutionResult): AdapterExecutionResult =>
      lost.recovered.length === 0 ? result : { ...result, resultJson: { ...(result.resultJson ?? {}), recoveredRuns: lost.recovered } };
    const startFrom = lost.resumeSessionId ? { ...run, runtime: { ...run.runtime, sessionId: lost.resumeSessionId, sessionParams: { ...(run.runtime?.sessionParams ?? {}), sessionId: lost.resumeSessionId } } } : run;
    const first = await attempt(startFrom);
    // A resume id the CLI does not know: run once more as a fresh session, and say so.
    if (first.result.errorCode !== "session_unavailable" || !resumeSessionId(startFrom) || signal.aborted) return withRecovered(first.result);
    await status(`session ${resumeSessionId(startFrom)} cannot be resumed; starting a fresh session`);
    if (first.outcome.kind === "finished" && first.outcome.cleanup === "retained") {
      // The retry gets the same Job name (one per agent and run): the retained one must go first.
      const watches = acquireNamespaceWatches(runtime.hub, first.outcome.job.namespace, runtime.instanceId);
      try {
        await cleanupRun({ client: runtime.client, namespace: first.outcome.job.namespace, jobName: first.outcome.job.name, jobUid: first.outcome.job.uid, secretNames: [], jobs: watches.jobs });
      } finally {
        watches.release();
      }
    }
    const fresh = await attempt({ ...run, runtime: { ...run.runtime, sessionId: null, sessionParams: null } });
    // The stored session is unusable: a fresh one replaces it when the retry made one, else it is cleared.
    return withRecovered(fresh.result.sessionParams ? fresh.result : { ...fresh.result, clearSession: true });
  } catch (error) {
    if (error instanceof ManifestError || error instanceof KubeTargetError || error instanceof RunError) return failure(error.code, error.message);
    if (error instanceof Error && error.message.startsWith("enableRtk needs")) return failure("k8s_config_invalid", error.message);
    return failure("adapter_failed", `claude_k8s: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function runOnce(
  ctx: AdapterExecutionContext,
  config: AdapterConfig,
  manifests: RunManifests,
  run: RunContext,
  runtime: Awaited<ReturnType<typeof runtimeFor>>,
  signal: AbortSignal,
  status: (line: string) => Promise<void>,
): Promise<{ result: AdapterExecutionResult; outcome: RunJobOutcome }> {
  // A second line of defence after the log follower: an event seen twice is dropped here too.
  const parser = createStreamParser({ deduper: createDeduper() });
  const textLines: string[] = [];
  const lastLines: string[] = [];
  const container = manifests.job.spec.template.spec.containers[0];
  const redact = createRedactor(knownSecrets(manifests, run));
  const logger = serverLog();
  const unhide = logger.hideWhileRunning(knownSecrets(manifests, run));
  const fields = { runId: run.runId, agentId: run.agent.id, job: `${manifests.names.namespace}/${manifests.names.job}` };
  logger.log("info", "Job starting", fields);
  try {

  const outcome: RunJobOutcome = await runJob({
    runtime,
    manifests,
    run: { agentId: run.agent.id, runId: run.runId, ...(taskIdOf(run) ? { taskId: taskIdOf(run) } : {}), ...(resumeSessionId(run) ? { sessionId: resumeSessionId(run) } : {}) },
    policy: { reattachOrphanedJobs: config.reattachOrphanedJobs, ownerStaleAfterMs: ownerStaleAfterMs() },
    budgets: { ...defaultPodBudgets, scheduleTimeoutMs: config.podScheduleTimeoutSec * 1000, startTimeoutMs: config.podStartTimeoutSec * 1000 },
    deadlineMs: config.timeoutSec > 0 ? (config.timeoutSec + config.graceSec) * 1000 : 0,
    retainJob: config.retainJobs,
    signal,
    beforeLaunch: async () => {
      await ctx.onCancellationReady?.();
    },
    onLaunched: async (job) => {
      await ctx.onMeta?.({
        adapterType: "claude_k8s",
        command: manifests.claudeArgv[0] ?? "claude",
        commandArgs: manifests.claudeArgv.slice(1),
        cwd: manifests.workingDir,
        commandNotes: [`${job.adopted ? "adopted" : "created"} Job ${job.namespace}/${job.name}`, `image ${container.image}`],
        prompt: manifests.prompt.prompt,
        promptMetrics: Object.fromEntries(manifests.prompt.sections.map((section) => [section.name, section.chars])),
      });
      await ctx.onDispatch?.();
    },
    onLine: async (raw) => {
      // Everything downstream (log, summary, error tails) sees the redacted line.
      const line = redact(raw);
      const events = parser.write(`${line}\n`);
      if (events.length === 0) return; // a repeat the deduper dropped
      if (events.every((event) => event.kind === "text")) {
        textLines.push(line);
        if (textLines.length > STDERR_TAIL_LINES) textLines.shift();
      }
      lastLines.push(line);
      if (lastLines.length > FAILURE_TAIL_LINES) lastLines.shift();
      await ctx.onLog("stdout", `${line}\n`);
    },
    onStatus: status,
  });
  parser.end();

  const envNames = new Set(container.env.map((variable) => variable.name));
  const envValues = Object.fromEntries(container.env.filter((variable) => "value" in variable).map((variable) => [variable.name, (variable as { value?: string }).value]));
  const { summary, source } = recoveredSummary(parser.summary(), outcome);
  if (source === "termination-message") await status("the log lost the end of the run; its outcome comes from the container's termination message");
  const result = toExecutionResult({
    outcome,
    summary,
    stderrTail: textLines.join("\n"),
    billing: billingFacts({ names: envNames, values: envValues }),
    ...(config.model ? { configuredModel: config.model } : {}),
    // Paperclip reads a stored cwd as a server path (and trusts it if it exists there).
    ...(manifests.serverWorkingDir ? { cwd: manifests.serverWorkingDir } : {}),
    lastLines,
    redact,
    now: () => new Date(),
  });
  logger.log("info", `Job finished: ${result.errorCode ?? "success"}`, fields);
  return { result, outcome };
  } finally {
    unhide();
  }
}

/**
 * How long an adapter process may be silent before its Jobs count as orphans (adopted by a
 * later run of their task, or swept). Live processes renew every 40 s; the default is
 * generous because a false orphan is a killed run. CLAUDE_K8S_OWNER_STALE_AFTER_SEC tunes it.
 */
function ownerStaleAfterMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CLAUDE_K8S_OWNER_STALE_AFTER_SEC;
  const seconds = raw === undefined ? 600 : Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`CLAUDE_K8S_OWNER_STALE_AFTER_SEC must be a positive number of seconds, not ${JSON.stringify(raw)}`);
  return seconds * 1000;
}

function runContextOf(ctx: AdapterExecutionContext): RunContext {
  return { runId: ctx.runId, agent: ctx.agent, runtime: ctx.runtime, context: ctx.context, authToken: ctx.authToken ?? null };
}

/**
 * Paperclip's `config.paperclipRuntimeSkills` (`{key, runtimeName, source, sourceStatus}` with
 * server paths) as the skills this run gets: those on the volume the pod shares with the
 * server are mounted from it; the others (Paperclip's bundled skills live in its own
 * package directory) are read here and shipped with the run. What cannot be either is named
 * in the run log, not fatal.
 */
export async function runtimeSkills(raw: Record<string, unknown>, sharedRoot: string | undefined): Promise<{ skills: RunSkill[]; skipped: string[] }> {
  const entries = raw.paperclipRuntimeSkills;
  const skills: RunSkill[] = [];
  const skipped: string[] = [];
  if (!Array.isArray(entries)) return { skills, skipped };
  const root = sharedRoot?.replace(/\/+$/, "");
  for (const entry of entries) {
    const record = (entry ?? {}) as Record<string, unknown>;
    const runtimeName = typeof record.runtimeName === "string" && record.runtimeName.trim() !== "" ? record.runtimeName : undefined;
    const sourcePath = typeof record.source === "string" ? record.source : undefined;
    const label = runtimeName ?? (typeof record.key === "string" ? record.key : "(unnamed)");
    const status = typeof record.sourceStatus === "string" ? record.sourceStatus : undefined;
    if (!runtimeName || !sourcePath) skipped.push(`skill ${label}: no runtime name or source path; not bundled`);
    else if (status !== undefined && !/^(ok|ready|available|present|materialized)$/i.test(status)) skipped.push(`skill ${label}: source ${status}; not bundled`);
    else if (root !== undefined && (sourcePath === root || sourcePath.startsWith(`${root}/`))) skills.push({ runtimeName, sourcePath });
    else {
      const bundle = await readSkillBundle(sourcePath);
      if ("files" in bundle) skills.push({ runtimeName, files: bundle.files });
      else skipped.push(`skill ${label}: not on a volume the pod shares, and ${sourcePath} ${bundle.problem}; not bundled`);
    }
  }
  return { skills, skipped };
}

/** The values this run's Secret carries as env (credentials) and its token: what the log must not show. */
function knownSecrets(manifests: RunManifests, run: RunContext): string[] {
  const values: string[] = run.authToken ? [run.authToken] : [];
  for (const secret of manifests.secrets) {
    for (const [key, encoded] of Object.entries(secret.data)) {
      if (key.startsWith("env.")) values.push(Buffer.from(encoded, "base64").toString("utf8"));
    }
  }
  return values;
}

function failure(code: string, message: string): AdapterExecutionResult {
  return { exitCode: null, signal: null, timedOut: false, errorCode: code, errorMessage: message };
}
