import { randomUUID } from "node:crypto";
import { defaultPodBudgets, dryRunCreate, explainPodFailure, runJob } from "@claude-k8s/k8s-runtime";
import { buildRunManifests, escapeKubeletExpansion, type OperatorPolicy, parseAdapterConfig, type RunManifests } from "@claude-k8s/manifest";
import { resolveKubeTarget, runtimeFor } from "../kube-access.ts";
import type { AdapterEnvironmentCheck } from "../paperclip-types.ts";
import { selfPodInfo } from "../self-pod.ts";
import { prepareSharedDirectories } from "../shared-volume.ts";
import { parseProbeOutput, probeChecks, probeScript } from "./probe-script.ts";

/** The probe's own budgets: it must end (as a failed check with the kubelet's reason), never hang. */
export const PROBE_LIMITS = { scheduleMs: 60_000, startMs: 120_000, pullBackOffGraceMs: 20_000, configErrorGraceMs: 15_000, deadlineSec: 180 } as const;

/**
 * Proves a run can work, as far as can be known without the model: a server-side dry-run
 * create of the run's real Secret and Job (validation, Pod Security, quota, LimitRange,
 * webhooks), then a probe Job with the run's image, ServiceAccount, uid, mounts and
 * credentials that reports what the pod sees (`probe-script.ts`). The probe is cleaned up
 * like a run (Job, pods, Secret), whatever happens.
 */
export async function probeRun(rawConfig: Record<string, unknown>, policy: OperatorPolicy, progress: (line: string) => void, signal: AbortSignal = new AbortController().signal): Promise<AdapterEnvironmentCheck[]> {
  const parsed = parseAdapterConfig(rawConfig);
  if (!parsed.ok) return [];
  const config = { ...parsed.config, timeoutSec: PROBE_LIMITS.deadlineSec, graceSec: 0, retainJobs: false };
  const checks: AdapterEnvironmentCheck[] = [];
  try {
    const target = resolveKubeTarget(config.kubeconfig, process.env, { fromAgentConfig: !policy.trustsConfig });
    const runtime = await runtimeFor(target);
    const selfPod = target.inCluster ? await selfPodInfo(() => {}) : undefined;
    const agentId = "claude-k8s-doctor";
    const runId = randomUUID();
    const manifests = buildRunManifests({ config, run: { runId, agent: { id: agentId, companyId: "claude-k8s-doctor" } }, ...(selfPod ? { selfPod } : {}), skills: [], operatorInheritEnv: policy.inheritEnv });

    progress("dry-run create of the run's Secret and Job (server-side: validation, Pod Security, quota, LimitRange, webhooks)");
    const findings = await dryRunCreate(runtime.client, manifests, signal);
    for (const finding of findings) {
      if (!finding.error) checks.push({ code: `k8s_dry_run_${finding.kind.toLowerCase()}`, level: "info", message: `the API server would accept the run's ${finding.kind} (dry run)` });
      else
        checks.push({
          code: `k8s_dry_run_${finding.kind.toLowerCase()}_refused`,
          level: "error",
          message: `the API server refuses the run's ${finding.kind}: ${finding.error.status} ${finding.error.reason}`,
          detail: finding.error.message,
          hint: dryRunHint(finding.error.status, finding.error.message),
        });
    }
    if (findings.some((finding) => finding.error)) return checks;

    const probe = asProbe(manifests);
    await prepareSharedDirectories(probe, config);
    progress(`starting probe Job ${probe.names.namespace}/${probe.names.job} (image ${probe.job.spec.template.spec.containers[0].image}; at most ${PROBE_LIMITS.deadlineSec} s)`);
    const lines: string[] = [];
    const outcome = await runJob({
      runtime,
      manifests: probe,
      run: { agentId, runId },
      policy: { reattachOrphanedJobs: false, ownerStaleAfterMs: 600_000 },
      budgets: { ...defaultPodBudgets, scheduleTimeoutMs: PROBE_LIMITS.scheduleMs, startTimeoutMs: PROBE_LIMITS.startMs, imagePullBackOffGraceMs: PROBE_LIMITS.pullBackOffGraceMs, containerConfigErrorGraceMs: PROBE_LIMITS.configErrorGraceMs },
      deadlineMs: (PROBE_LIMITS.deadlineSec + 10) * 1000,
      retainJob: false,
      signal,
      onLine: (line) => {
        lines.push(line);
      },
      onStatus: (line) => progress(`probe: ${line}`),
      logDrainMs: 10_000,
    });
    if (outcome.kind === "not-launched") {
      checks.push({ code: "k8s_probe_not_started", level: "error", message: `the probe Job was not started: ${outcome.message}`, hint: "fix what the message names; the checks above list missing permissions" });
      return checks;
    }
    if (outcome.cleanup === "failed") checks.push({ code: "k8s_probe_cleanup_failed", level: "warn", message: `the probe Job ${outcome.job.name} could not be deleted`, hint: `kubectl delete job ${outcome.job.name} -n ${outcome.job.namespace}` });
    const failed = outcome.podFailure ?? (outcome.timedOut ? { code: "timeout", message: `the probe did not finish within ${PROBE_LIMITS.deadlineSec} s` } : undefined);
    if (failed) {
      const detail = explainPodFailure({ headline: `${failed.code}: ${failed.message}`, ...(outcome.lastPod ? { pod: outcome.lastPod.pod } : {}), events: outcome.events, logLines: lines });
      checks.push({ code: "k8s_probe_failed", level: "error", message: `a pod of this config cannot run: ${failed.message}`, detail, hint: probeFailureHint(failed.code) });
      return checks;
    }
    checks.push(...probeChecks(parseProbeOutput(lines), { image: probe.job.spec.template.spec.containers[0].image, ...(config.runAsUser !== undefined ? { runAsUser: config.runAsUser } : {}) }));
    if (outcome.container && outcome.container.exitCode !== 0) checks.push({ code: "k8s_probe_exit", level: "warn", message: `the probe script exited with ${outcome.container.exitCode} (${outcome.container.reason})` });
    return checks;
  } catch (error) {
    checks.push({ code: "k8s_probe_error", level: "error", message: `the probe could not run: ${(error as Error).message}`, hint: "fix the failed checks above first" });
    return checks;
  }
}

/** The run's objects, with the probe script in place of claude. */
function asProbe(manifests: RunManifests): RunManifests {
  const [container, ...rest] = manifests.job.spec.template.spec.containers;
  const probeContainer = { ...container, command: ["/bin/sh", "-c", escapeKubeletExpansion(probeScript())], args: [] };
  return { ...manifests, job: { ...manifests.job, spec: { ...manifests.job.spec, template: { ...manifests.job.spec.template, spec: { ...manifests.job.spec.template.spec, containers: [probeContainer, ...rest] } } } } } as RunManifests;
}

function dryRunHint(status: number, message: string): string {
  if (status === 403 && /forbidden: violates PodSecurity/i.test(message)) return "the namespace's Pod Security level refuses the pod: adjust the securityContext keys or the namespace's pod-security labels";
  if (status === 403 && /exceeded quota/i.test(message)) return "the namespace's ResourceQuota is used up or too small for resources: lower resources or raise the quota";
  if (status === 403) return "RBAC or an admission webhook refuses it: read the message; the Role in the adapter's README grants what runs need";
  if (status === 422 || status === 400) return "the object is invalid for this cluster (a LimitRange, a field the cluster does not know): fix the config key the message names";
  return "read the message; an admission webhook may refuse it";
}

function probeFailureHint(code: string): string {
  switch (code) {
    case "k8s_image_pull_failed":
      return "check the image name and tag, and imagePullSecrets for a private registry";
    case "k8s_pod_unschedulable":
      return "no node fits the pod: lower resources.requests, or check nodeSelector and tolerations";
    case "k8s_container_config_error":
      return "a Secret or key the pod's env references is missing: create it in the Job namespace";
    case "k8s_init_container_failed":
      return "an init container failed: read the detail";
    case "k8s_pod_start_timeout":
    case "timeout":
      return "the pod did not start in time: read the Events in the detail (image pull, volume mount, quota)";
    default:
      return "read the detail: the pod's reason, Events and log";
  }
}
