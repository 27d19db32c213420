export {
  AGENT_VOLUME_COMPONENT,
  AGENT_VOLUME_NAME_PREFIX,
  type AgentVolumeClaimInput,
  agentVolumeClaimName,
  agentVolumeSelector,
  buildAgentVolumeClaim,
  DEFAULT_AGENT_VOLUME_SIZE,
  foreignAgentVolume,
  looksLikeAgentVolumeName,
  type PersistentVolumeClaimManifest,
} from "./agent-volume/agent-volume-claim.ts";
export { type AgentVolumeWorkspace, AgentVolumeDir, type CheckoutPlan, mapWorkspaceOntoAgentVolume } from "./agent-volume/agent-volume-layout.ts";
export { chooseWorkspaceMode, type WorkspaceMode } from "./workspace-mode.ts";
export { buildCheckoutContainer, CHECKOUT_CONTAINER, CHECKOUT_LOG_PREFIX, checkGitRef, checkRepositoryUrl } from "./agent-volume/git-checkout.ts";
export { type BuildRunInput, buildRunManifests, type RunManifests } from "./build-run-manifests.ts";
export { buildClaudeArgv, type ClaudeArgvInput } from "./claude-argv.ts";
export { DEFAULT_PROMPT_TEMPLATE, DEFAULT_RESOURCES } from "./config/defaults.ts";
export {
  isManifestError,
  KNOWN_CONFIG_KEYS,
  parseAdapterConfig,
  requireAdapterConfig,
} from "./config/parse-adapter-config.ts";
export type {
  AdapterConfig,
  ImagePullPolicy,
  ParseAdapterConfigResult,
  ResourceList,
  ResourceRequirements,
  Toleration,
} from "./config/types.ts";
export { buildContainerCommand, type ContainerCommand, type ResultTap } from "./container-command.ts";
export { RESULT_TAP_FILE, RESULT_TAP_PROGRAM, TERMINATION_MESSAGE_LIMIT, TERMINATION_MESSAGE_PATH } from "./result-tap.ts";
export { envSecretKey, type LayeredEnv, layerEnv, type PodEnvVar } from "./env/env-layering.ts";
export { MAX_ENV_STRING_BYTES } from "./env/env-size.ts";
export {
  BEDROCK_ENV_NAMES,
  INHERIT_DENY_PATTERNS,
  type InheritanceRules,
  isDeniedEnvName,
  isHostOnlyEnvName,
  isInheritableEnvName,
  MODEL_ENV_NAMES,
  VERTEX_ENV_NAMES,
} from "./env/inheritance.ts";
export { escapeKubeletExpansion } from "./env/kubelet-escape.ts";
export { isPublicEnv, isSensitiveEnv, isSensitiveEnvName, PUBLIC_ENV_NAMES } from "./env/sensitive.ts";
export { type ConfigIssue, formatIssue, ManifestError, ManifestErrorCode } from "./errors.ts";
export type { ContainerSpec, JobManifest, PodSpec, Volume, VolumeMount } from "./job.ts";
export {
  ADAPTER_TYPE,
  AnnotationKey,
  agentJobSelector,
  DEFAULT_INSTANCE_ID,
  LabelKey,
  managedSelector,
  RESERVED_LABEL_PREFIXES,
  type RunIdentity,
  runLabels,
} from "./labels.ts";
export { enforceAgentPolicy, findPolicyViolations, type PolicyFacts, type PolicyViolation, policyError } from "./policy/check-agent-config.ts";
export { INSTRUCTIONS_POLICY_VARIABLE, type InstructionsScope, isAllowedInstructionsPath } from "./policy/instructions-path.ts";
export { AGENT_HOMES_DIR, agentHomeRelative, checkMount, type MountOwner, mountExposure } from "./policy/mount-exposure.ts";
export {
  defaultAgentPolicy,
  GOVERNED_KEYS,
  type GovernedKey,
  type OperatorPolicy,
  operatorConfigPolicy,
  POLICY_VARIABLES,
  parseOperatorPolicy,
} from "./policy/operator-policy.ts";
export { matchesPattern, parsePatternList } from "./policy/patterns.ts";
export { CONTAINER_NAME, jobNameFor, type RunNames, runNamesFor, toLabelValue } from "./names.ts";
export { normalizeAbsolutePath, type TranslatedPath, translateServerPath, type VolumeRoots } from "./paths.ts";
export {
  type AssembledPrompt,
  type AssemblePromptInput,
  assemblePrompt,
  type PromptSection,
  type PromptSectionName,
} from "./prompt.ts";
export type {
  EnvVarSource,
  InheritedEnvVar,
  InheritedSecretVolume,
  PodDnsConfig,
  PodToleration,
  RtkHookProgram,
  RunContext,
  RunSkill,
  SelfPodInfo,
  SkillFile,
} from "./run-context.ts";
export { resumeSessionId, taskIdOf } from "./run-context.ts";
export { RUN_FILES_DIR, RunFileKey, SKILLS_DIR, skillFileKey } from "./run-files.ts";
export { rtkSettingsDocument } from "./rtk-settings.ts";
export { MAX_SECRET_BYTES, type OwnerReference, type SecretManifest, withOwnerJob } from "./secret.ts";
export { renderTemplate } from "./template.ts";
export { type RenderYamlOptions, renderYaml } from "./yaml.ts";
