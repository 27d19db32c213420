import { agentVolumeClaimName, buildAgentVolumeClaim, checkSharedClaimName, type PersistentVolumeClaimManifest } from "./agent-volume/agent-volume-claim.ts";
import { type CheckoutPlan, mapWorkspaceOntoAgentVolume } from "./agent-volume/agent-volume-layout.ts";
import { buildCheckoutContainer } from "./agent-volume/git-checkout.ts";
import { buildVolumeSetupContainer } from "./agent-volume/prepare-command.ts";
import { buildClaudeArgv } from "./claude-argv.ts";
import type { AdapterConfig } from "./config/types.ts";
import { buildContainerCommand } from "./container-command.ts";
import { layerEnv } from "./env/env-layering.ts";
import { podEnvDefaults } from "./env/pod-defaults.ts";
import { runContextEnv } from "./env/run-env.ts";
import { buildJob, type JobManifest } from "./job.ts";
import { runAnnotations, runLabels } from "./labels.ts";
import { CONTAINER_NAME, type RunNames, runNamesFor } from "./names.ts";
import { optionalField } from "./optional-field.ts";
import { joinPath, pathTranslator } from "./paths.ts";
import { agentHomeRelative } from "./policy/mount-exposure.ts";
import { resolvePlacement } from "./placement.ts";
import type { AssembledPrompt } from "./prompt.ts";
import {
  checkRunContext,
  recordField,
  type RtkHookProgram,
  type RunContext,
  type RunSkill,
  resumeSessionId,
  type SelfPodInfo,
  stringField,
  taskIdOf,
} from "./run-context.ts";
import { RunFileKey, runFilePath, SKILLS_DIR, skillFileKey } from "./run-files.ts";
import { planRunFiles } from "./run-secret-files.ts";
import { RESULT_TAP_FILE, TERMINATION_MESSAGE_PATH } from "./result-tap.ts";
import { buildRunSecret, type SecretManifest, secretLabels } from "./secret.ts";
import { containerSecurityContext, podSecurityContext } from "./security-context.ts";
import { DATA_VOLUME, planVolumes } from "./volumes.ts";
import { chooseWorkspaceMode, type WorkspaceMode } from "./workspace-mode.ts";

export interface BuildRunInput {
  config: AdapterConfig;
  run: RunContext;
  /** What the runtime learned about its own pod; omit outside a cluster (or when `kubeconfig` points at another one). */
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
  /** Names or `PREFIX_*` the operator lets every agent pod inherit (CLAUDE_K8S_INHERIT_ENV). */
  operatorInheritEnv?: readonly string[];
  /** The Paperclip instance the run belongs to (label `paperclip.io/instance`); default "default". */
  instanceId?: string;
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
  /**
   * The same directory as the server names it (the workspace cwd Paperclip or the config
   * gave), when there is one: what a session stores, since Paperclip reads a stored cwd as a
   * path on the server.
   */
  serverWorkingDir?: string;
  /** Things dropped or defaulted that an operator may want to know about (log them). */
  warnings: string[];
  /**
   * The shared volume's directories this run mounts read-write (the agent's HOME first), as
   * server and pod paths: the runtime creates the HOME the pod's user must own, and may look
   * into them before launch. Empty without a shared volume.
   */
  sharedDirectories: { what: string; serverPath: string; podPath: string }[];
  /** `shared-volume` (a claim shared with the server) or `agent-volume` (the agent's own claim). */
  workspaceMode: WorkspaceMode;
  /** In `agent-volume` mode: the agent's claim, to create when missing before the Job. */
  agentVolume?: PersistentVolumeClaimManifest;
  /** In `agent-volume` mode, for a project workspace with a repository: what the pod checks out. */
  checkout?: CheckoutPlan;
}

/** Agent names are for people; a bounded annotation keeps a runaway name from failing the create. */
const MAX_AGENT_NAME_ANNOTATION = 253;

/**
 * The Job and per-run Secret for one run. Pure: same input, same output. Throws ManifestError
 * (with a code the adapter maps) when the input cannot make a Job that would work.
 */
export function buildRunManifests(input: BuildRunInput): RunManifests {
  const { config, run } = input;
  const selfPod = input.selfPod ?? {};
  checkRunContext(run);
  const warnings: string[] = [];
  const placement = resolvePlacement(config, selfPod);
  checkSharedClaimName(placement.claim);
  const names = runNamesFor(run.agent.id, run.runId, placement.namespace);
  const sessionId = resumeSessionId(run);
  const identity = {
    agentId: run.agent.id,
    runId: run.runId,
    companyId: run.agent.companyId,
    ...optionalField("taskId", taskIdOf(run)),
    ...optionalField("sessionId", sessionId),
    ...optionalField("instanceId", input.instanceId),
  };
  const labels = runLabels(identity, config.labels);
  const agentName = typeof run.agent.name === "string" ? run.agent.name.slice(0, MAX_AGENT_NAME_ANNOTATION) : undefined;
  const annotations = runAnnotations(identity, agentName);

  // Paths Paperclip hands over are server paths: translate them onto the pod's mount.
  const paths = pathTranslator(placement.roots, warnings);
  const workspace = recordField(run.context, "paperclipWorkspace");
  const cwdSource = stringField(workspace, "cwd") ?? config.cwd;
  const workspaceMode = chooseWorkspaceMode(placement.claim);
  // Without a shared claim the agent's own volume holds HOME and workspaces; Paperclip's server
  // paths are mapped onto it by meaning (docs/paperclip-workspaces.md), never translated.
  const ownVolume = workspaceMode === "agent-volume" ? mapWorkspaceOntoAgentVolume(workspace, config.workspaceMountPath) : undefined;
  if (ownVolume !== undefined) warnings.push(...ownVolume.warnings);
  const cwd = cwdSource === undefined || ownVolume !== undefined ? undefined : paths.strict("workspace cwd", cwdSource);
  // On a shared volume the agent gets a HOME of its own there (sessions resume, no agent
  // reads another's).
  const { roots } = placement;
  const homeRelative = roots === undefined ? undefined : agentHomeRelative(run.agent.id);
  const home = ownVolume?.home ?? (roots === undefined || homeRelative === undefined ? config.workspaceMountPath : joinPath(roots.pod, homeRelative));
  const workingDir = ownVolume?.workingDir ?? cwd?.podPath ?? home;

  const files = planRunFiles({
    config,
    run,
    resumeSessionId: sessionId,
    instructions: input.instructions,
    rtkHook: input.rtkHook,
    paths,
  });
  const skills = input.skills ?? [];
  const claudeArgv = buildClaudeArgv({
    config,
    ...optionalField("resumeSessionId", sessionId),
    ...optionalField("appendSystemPromptFile", files.appendSystemPromptFile),
    ...optionalField("addDir", skills.length > 0 ? SKILLS_DIR : undefined),
    ...optionalField("mcpConfigFile", files.mcpConfigFile),
    ...optionalField("settingsFile", files.settingsFile),
  });

  const layered = layerEnv({
    config,
    defaults: podEnvDefaults(home),
    runEnv: runContextEnv({
      run,
      workspaceCwd: ownVolume?.workingDir ?? cwd?.podPath,
      worktreePath:
        ownVolume !== undefined
          ? ownVolume.checkout?.branchName === undefined
            ? undefined
            : ownVolume.checkout.dir
          : paths.lenient("PAPERCLIP_WORKSPACE_WORKTREE_PATH", stringField(workspace, "worktreePath")),
      agentHome: ownVolume?.fallback ?? paths.lenient("AGENT_HOME", stringField(workspace, "agentHome") ?? stringField(run.context, "agentHome")),
      paperclipApiUrl: input.paperclipApiUrl,
    }),
    inherited: selfPod.env ?? [],
    ...optionalField("operatorInheritEnv", input.operatorInheritEnv),
    authToken: run.authToken ?? undefined,
    secretName: names.secret,
    crossNamespace: placement.crossNamespace,
  });
  warnings.push(...layered.warnings);
  if (!layered.env.some((entry) => entry.name === "PAPERCLIP_API_URL")) {
    warnings.push("PAPERCLIP_API_URL is not set: the agent cannot call Paperclip (pass paperclipApiUrl or set env.PAPERCLIP_API_URL)");
  }

  const secret = buildRunSecret({
    name: names.secret,
    namespace: placement.namespace,
    labels: secretLabels(labels),
    entries: { ...files.entries, ...layered.secretData, ...shippedSkillEntries(skills) },
  });
  const ownDirectories = [
    ...(homeRelative === undefined ? [] : [{ what: "the agent's HOME", relative: homeRelative }]),
    ...(cwd === undefined ? [] : [{ what: "workspace cwd", relative: cwd.relative }]),
  ];
  const volumes = planVolumes({
    secretName: names.secret,
    fileKeys: Object.keys(files.entries).sort(),
    claim: placement.claim,
    ...(ownVolume === undefined ? {} : { agentVolumeClaim: agentVolumeClaimName(run.agent.id) }),
    roots: placement.roots,
    workspaceMountPath: config.workspaceMountPath,
    ownDirectories,
    owner: { agentId: run.agent.id, companyId: run.agent.companyId },
    skills,
    inheritedSecretVolumes: (selfPod.secretVolumes ?? []).filter((volume) =>
      config.inheritSecretVolumes.includes(volume.secretName),
    ),
    crossNamespace: placement.crossNamespace,
  });
  warnings.push(...volumes.warnings);

  const { command, args } = buildContainerCommand(claudeArgv, runFilePath(RunFileKey.prompt), { programFile: runFilePath(RESULT_TAP_FILE), messagePath: TERMINATION_MESSAGE_PATH });
  const imagePullSecrets = config.imagePullSecrets ?? selfPod.imagePullSecrets ?? [];
  const nodeSelector = config.nodeSelector ?? selfPod.nodeSelector;
  const tolerations = config.tolerations ?? selfPod.tolerations;
  const job = buildJob({
    name: names.job,
    namespace: placement.namespace,
    labels,
    annotations,
    podAnnotations: config.podAnnotations,
    timeoutSec: config.timeoutSec,
    jobDeadlineSec: config.jobDeadlineSec,
    ttlSecondsAfterFinished: config.ttlSecondsAfterFinished,
    pod: {
      restartPolicy: "Never",
      ...optionalField("serviceAccountName", config.serviceAccountName),
      ...optionalField("priorityClassName", config.priorityClassName),
      automountServiceAccountToken: config.automountServiceAccountToken,
      // Service links would add an env var per Service in the namespace: noise, and a size risk.
      enableServiceLinks: false,
      ...(imagePullSecrets.length > 0 ? { imagePullSecrets: imagePullSecrets.map((name) => ({ name })) } : {}),
      ...optionalField("dnsConfig", selfPod.dnsConfig),
      ...(nodeSelector !== undefined && Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
      ...(tolerations !== undefined && tolerations.length > 0 ? { tolerations } : {}),
      // The agent's own volume is small and its alone: the kubelet makes it the pod group's
      // (once, OnRootMismatch), which a fresh block volume needs for a non-root pod to write.
      securityContext: podSecurityContext(ownVolume === undefined ? config : { ...config, fsGroup: config.fsGroup ?? config.runAsGroup }),
      ...(ownVolume === undefined
        ? {}
        : {
            initContainers: [
              buildVolumeSetupContainer({
                image: placement.image,
                imagePullPolicy: config.imagePullPolicy,
                // A checkout makes its own directory (it must not exist before the clone).
                directories: ownVolume.checkout === undefined ? [ownVolume.home, ownVolume.workingDir] : [ownVolume.home],
                volumeMount: { name: DATA_VOLUME, mountPath: config.workspaceMountPath },
                resources: config.resources,
                securityContext: containerSecurityContext(config),
              }),
              ...(ownVolume.checkout === undefined
                ? []
                : [
                    buildCheckoutContainer({
                plan: ownVolume.checkout,
                image: placement.image,
                imagePullPolicy: config.imagePullPolicy,
                home: ownVolume.home,
                volumeMount: { name: DATA_VOLUME, mountPath: config.workspaceMountPath },
                ...optionalField("credentialsSecret", config.gitCredentialsSecret),
                resources: config.resources,
                        securityContext: containerSecurityContext(config),
                      }),
                  ]),
            ],
          }),
      containers: [
        {
          name: CONTAINER_NAME,
          image: placement.image,
          imagePullPolicy: config.imagePullPolicy,
          command,
          args,
          workingDir,
          env: layered.env,
          ...(config.envFromSecrets.length > 0 ? { envFrom: config.envFromSecrets.map((name) => ({ secretRef: { name } })) } : {}),
          resources: config.resources,
          volumeMounts: volumes.mounts,
          securityContext: containerSecurityContext(config),
          // The result tap writes claude's result event here on any exit; if claude dies before
          // writing one, the file stays empty and the log tail reaches the pod status instead.
          terminationMessagePath: TERMINATION_MESSAGE_PATH,
          terminationMessagePolicy: "FallbackToLogsOnError",
        },
      ],
      volumes: volumes.volumes,
    },
  });

  const sharedDirectories =
    roots === undefined
      ? []
      : ownDirectories.map((directory) => ({ what: directory.what, serverPath: joinPath(roots.server, directory.relative), podPath: joinPath(roots.pod, directory.relative) }));
  return {
    job,
    secrets: [secret],
    names,
    claudeArgv,
    prompt: files.prompt,
    workingDir,
    ...optionalField("serverWorkingDir", cwd === undefined && ownVolume === undefined ? undefined : cwdSource),
    warnings,
    sharedDirectories,
    workspaceMode,
    ...(ownVolume === undefined
      ? {}
      : {
          agentVolume: buildAgentVolumeClaim({
            agentId: run.agent.id,
            companyId: run.agent.companyId,
            namespace: placement.namespace,
            ...optionalField("storageClass", config.agentVolumeStorageClass),
            size: config.agentVolumeSize,
            ...optionalField("agentName", agentName),
          }),
        }),
    ...optionalField("checkout", ownVolume?.checkout),
  };
}

/** The Secret entries of skills shipped with the run (their files, by skillFileKey). */
function shippedSkillEntries(skills: readonly RunSkill[]): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const skill of skills) {
    for (const [index, file] of (skill.files ?? []).entries()) entries[skillFileKey(skill.runtimeName, index)] = file.content;
  }
  return entries;
}
