import { buildClaudeArgv } from "./claude-argv.ts";
import type { AdapterConfig } from "./config/types.ts";
import { buildContainerCommand } from "./container-command.ts";
import { layerEnv } from "./env/env-layering.ts";
import { runContextEnv } from "./env/run-env.ts";
import { configError, ManifestError, ManifestErrorCode } from "./errors.ts";
import { buildJob, type JobManifest } from "./job.ts";
import { isDns1123Label } from "./k8s-formats.ts";
import { runAnnotations, runLabels } from "./labels.ts";
import { CONTAINER_NAME, type RunNames, runNamesFor } from "./names.ts";
import { dirname, normalizeAbsolutePath, translateServerPath, type VolumeRoots } from "./paths.ts";
import { type AssembledPrompt, assemblePrompt } from "./prompt.ts";
import {
  recordField,
  type RtkHookProgram,
  type RunContext,
  type RunSkill,
  resumeSessionId,
  type SelfPodInfo,
  stringField,
  taskIdOf,
} from "./run-context.ts";
import { RunFileKey, rtkHookFileName, runFilePath, SKILLS_DIR } from "./run-files.ts";
import { rtkSettingsDocument } from "./rtk-settings.ts";
import { buildRunSecret, type SecretManifest, secretLabels } from "./secret.ts";
import { containerSecurityContext, podSecurityContext } from "./security-context.ts";
import { planVolumes } from "./volumes.ts";

export interface BuildRunInput {
  config: AdapterConfig;
  run: RunContext;
  /** What the runtime learned about its own pod; omit outside a cluster. */
  selfPod?: SelfPodInfo;
  /** Skills for this run (Paperclip's desired skills, with their server paths). */
  skills?: readonly RunSkill[];
  /**
   * The text of `config.instructionsFilePath`, when the runtime read it: it then travels in the
   * run's Secret (with a note on where relative references resolve). Without it, claude reads
   * the file from the shared volume.
   */
  instructions?: { text: string };
  /** The hook program that `enableRtk` needs (from @claude-k8s/rtk-hook's built bin). */
  rtkHook?: RtkHookProgram;
  /** PAPERCLIP_API_URL as the pod must reach it (inherited env and config.env can override). */
  paperclipApiUrl?: string;
}

export interface RunManifests {
  job: JobManifest;
  /** Create these before the Job; give them an ownerReference to it once it exists (withOwnerJob). */
  secrets: SecretManifest[];
  names: RunNames;
  /** claude's argv as the process receives it (program name first; the prompt is on stdin). */
  claudeArgv: string[];
  prompt: AssembledPrompt;
  /** The container's working directory (a pod path). */
  workingDir: string;
  /** Things dropped or defaulted that an operator may want to know about (log them). */
  warnings: string[];
}

/**
 * The Job and per-run Secret for one run. Pure: same input, same output. Throws ManifestError
 * (with a code the adapter maps) when the input cannot make a Job that would work.
 */
export function buildRunManifests(input: BuildRunInput): RunManifests {
  const { config, run } = input;
  const selfPod = input.selfPod ?? {};
  checkRunContext(run);
  const warnings: string[] = [];

  const namespace = config.namespace ?? selfPod.namespace;
  const image = config.image ?? selfPod.image;
  const missing = [
    ...(namespace === undefined || !isDns1123Label(namespace)
      ? [{ path: "namespace", expected: "the namespace for agent Jobs (the server is not in a pod to default it from)", received: String(namespace ?? "nothing"), example: '"paperclip-agents"' }]
      : []),
    ...(image === undefined || image.trim() === ""
      ? [{ path: "image", expected: "the agent image (the server is not in a pod to default it from)", received: "nothing", example: '"ghcr.io/acme/paperclip-agent:1.4.2"' }]
      : []),
  ];
  if (missing.length > 0 || namespace === undefined || image === undefined) throw configError(missing);
  const crossNamespace = selfPod.namespace !== undefined && selfPod.namespace !== namespace;

  const names = runNamesFor(run.agent.id, run.runId, namespace);
  const sessionId = resumeSessionId(run);
  const identity = {
    agentId: run.agent.id,
    runId: run.runId,
    companyId: run.agent.companyId,
    ...optional("taskId", taskIdOf(run)),
    ...optional("sessionId", sessionId),
  };
  const labels = runLabels(identity, config.labels);
  const annotations = runAnnotations(identity, typeof run.agent.name === "string" ? run.agent.name : undefined);

  // Paths Paperclip hands over are server paths: translate them onto the pod's mount.
  const claim = config.workspaceVolumeClaim ?? selfPod.dataVolumeClaim;
  const roots = volumeRoots(config, selfPod, claim);
  const workspace = recordField(run.context, "paperclipWorkspace");
  const cwdSource = stringField(workspace, "cwd") ?? config.cwd;
  const workingDir =
    cwdSource === undefined ? config.workspaceMountPath : translateServerPath("workspace cwd", cwdSource, roots).podPath;
  const lenient = (what: string, path: string | undefined): string | undefined => {
    if (path === undefined) return undefined;
    try {
      return translateServerPath(what, path, roots).podPath;
    } catch (error) {
      warnings.push(`${what} left out: ${(error as Error).message}`);
      return undefined;
    }
  };

  const entries: Record<string, string> = {};
  const prompt = assemblePrompt({ config, run });
  entries[RunFileKey.prompt] = prompt.prompt;

  let appendSystemPromptFile: string | undefined;
  if (config.instructionsFilePath !== undefined && sessionId === undefined) {
    if (input.instructions !== undefined) {
      const podPath = lenient("instructions directory", config.instructionsFilePath);
      entries[RunFileKey.instructions] = instructionsWithDirective(input.instructions.text, podPath);
      appendSystemPromptFile = runFilePath(RunFileKey.instructions);
    } else {
      appendSystemPromptFile = translateServerPath("instructionsFilePath", config.instructionsFilePath, roots).podPath;
    }
  }

  let mcpConfigFile: string | undefined;
  if (config.mcpServers !== undefined && Object.keys(config.mcpServers).length > 0) {
    entries[RunFileKey.mcpConfig] = `${JSON.stringify({ mcpServers: config.mcpServers }, null, 2)}\n`;
    mcpConfigFile = runFilePath(RunFileKey.mcpConfig);
  }

  let settingsFile: string | undefined;
  if (config.enableRtk) {
    if (input.rtkHook === undefined || input.rtkHook.program.trim() === "") {
      throw new ManifestError(
        ManifestErrorCode.runContextInvalid,
        "enableRtk is on but no hook program was supplied: the runtime must pass rtkHook.program (the text of @claude-k8s/rtk-hook's built claude-rtk-hook bin)",
      );
    }
    const hookKey = rtkHookFileName(input.rtkHook.format);
    entries[hookKey] = input.rtkHook.program;
    entries[RunFileKey.settings] = rtkSettingsDocument(runFilePath(hookKey), config.rtkMaxOutputBytes);
    settingsFile = runFilePath(RunFileKey.settings);
  }

  const skills = input.skills ?? [];
  const claudeArgv = buildClaudeArgv({
    config,
    ...optional("resumeSessionId", sessionId),
    ...optional("appendSystemPromptFile", appendSystemPromptFile),
    ...optional("addDir", skills.length > 0 ? SKILLS_DIR : undefined),
    ...optional("mcpConfigFile", mcpConfigFile),
    ...optional("settingsFile", settingsFile),
  });
  const fileKeys = Object.keys(entries).sort();

  const layered = layerEnv({
    config,
    defaults: new Map([["HOME", config.workspaceMountPath]]),
    runEnv: runContextEnv({
      run,
      workspaceCwd: cwdSource === undefined ? undefined : workingDir,
      worktreePath: lenient("PAPERCLIP_WORKSPACE_WORKTREE_PATH", stringField(workspace, "worktreePath")),
      agentHome: lenient("AGENT_HOME", stringField(workspace, "agentHome") ?? stringField(run.context, "agentHome")),
      paperclipApiUrl: input.paperclipApiUrl,
    }),
    inherited: selfPod.env ?? [],
    authToken: run.authToken ?? undefined,
    secretName: names.secret,
    crossNamespace,
  });
  warnings.push(...layered.warnings);
  Object.assign(entries, layered.secretData);

  const secret = buildRunSecret({ name: names.secret, namespace, labels: secretLabels(labels), entries });
  const plan = planVolumes({
    secretName: names.secret,
    fileKeys,
    claim,
    roots,
    workspaceMountPath: config.workspaceMountPath,
    skills,
    inheritedSecretVolumes: (selfPod.secretVolumes ?? []).filter((volume) =>
      config.inheritSecretVolumes.includes(volume.secretName),
    ),
    crossNamespace,
  });
  warnings.push(...plan.warnings);

  const { command, args } = buildContainerCommand(claudeArgv, runFilePath(RunFileKey.prompt));
  const imagePullSecrets = config.imagePullSecrets ?? selfPod.imagePullSecrets ?? [];
  const nodeSelector = config.nodeSelector ?? selfPod.nodeSelector;
  const tolerations = config.tolerations ?? selfPod.tolerations;
  const job = buildJob({
    name: names.job,
    namespace,
    labels,
    annotations,
    timeoutSec: config.timeoutSec,
    ttlSecondsAfterFinished: config.ttlSecondsAfterFinished,
    pod: {
      restartPolicy: "Never",
      ...optional("serviceAccountName", config.serviceAccountName),
      automountServiceAccountToken: config.automountServiceAccountToken,
      // Service links would add an env var per Service in the namespace: noise, and a size risk.
      enableServiceLinks: false,
      ...(imagePullSecrets.length > 0 ? { imagePullSecrets: imagePullSecrets.map((name) => ({ name })) } : {}),
      ...optional("dnsConfig", selfPod.dnsConfig),
      ...(nodeSelector !== undefined && Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
      ...(tolerations !== undefined && tolerations.length > 0 ? { tolerations } : {}),
      securityContext: podSecurityContext(config),
      containers: [
        {
          name: CONTAINER_NAME,
          image,
          imagePullPolicy: config.imagePullPolicy,
          command,
          args,
          workingDir,
          env: layered.env,
          resources: config.resources,
          volumeMounts: plan.mounts,
          securityContext: containerSecurityContext(config),
          // If claude dies before writing its result, the log tail still reaches the Job status.
          terminationMessagePolicy: "FallbackToLogsOnError",
        },
      ],
      volumes: plan.volumes,
    },
  });

  return { job, secrets: [secret], names, claudeArgv, prompt, workingDir, warnings };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function checkRunContext(run: RunContext): void {
  const problems: string[] = [];
  if (typeof run.runId !== "string" || run.runId.trim() === "") problems.push("runId is empty");
  if (typeof run.agent?.id !== "string" || run.agent.id.trim() === "") problems.push("agent.id is empty");
  if (typeof run.agent?.companyId !== "string" || run.agent.companyId.trim() === "") problems.push("agent.companyId is empty");
  for (const [what, value] of [["runId", run.runId], ["agent.id", run.agent?.id], ["agent.companyId", run.agent?.companyId]]) {
    if (typeof value === "string" && value.includes("\0")) problems.push(`${what} contains a NUL character`);
  }
  const sessionId = problems.length === 0 ? resumeSessionId(run) : undefined;
  if (sessionId?.includes("\0")) problems.push("the session id contains a NUL character");
  if (sessionId?.startsWith("-")) problems.push(`session id ${JSON.stringify(sessionId)} starts with '-' and would read as a flag`);
  if (problems.length > 0) {
    throw new ManifestError(
      ManifestErrorCode.runContextInvalid,
      `the run context cannot make a Job: ${problems.join("; ")}. This comes from Paperclip or the runtime, not the agent's config.`,
    );
  }
}

function volumeRoots(config: AdapterConfig, selfPod: SelfPodInfo, claim: string | undefined): VolumeRoots | undefined {
  if (claim === undefined) return undefined;
  // The server pod's mount path only describes the claim it mounts.
  const learned =
    claim === selfPod.dataVolumeClaim && selfPod.dataMountPath !== undefined
      ? normalizeAbsolutePath(selfPod.dataMountPath)
      : undefined;
  return { server: config.serverMountPath ?? learned ?? config.workspaceMountPath, pod: config.workspaceMountPath };
}

function instructionsWithDirective(text: string, podPath: string | undefined): string {
  if (podPath === undefined) return text;
  return `${text.replace(/\s+$/, "")}\n\nThe above agent instructions were loaded from ${podPath}. Resolve any relative file references from ${dirname(podPath)}/.\n`;
}
