import { ManifestError, ManifestErrorCode } from "./errors.ts";

/**
 * What Paperclip tells the adapter about one run: the fields of its `execute(ctx)` argument
 * the manifest needs, passed through as they come. `context` stays loosely typed on purpose:
 * it is Paperclip's wake context and grows keys between releases; we read what we know.
 */
export interface RunContext {
  runId: string;
  agent: { id: string; companyId: string; name?: string | null };
  runtime?: {
    sessionId?: string | null;
    sessionParams?: Record<string, unknown> | null;
    taskKey?: string | null;
  } | null;
  context?: Record<string, unknown> | null;
  /** The run's agent JWT (`ctx.authToken`); reaches the pod as PAPERCLIP_API_KEY by secretKeyRef. */
  authToken?: string | null;
}

/**
 * A skill to expose to claude: its runtime name, and either where Paperclip keeps it (a
 * server path on the volume shared with the pod, mounted read-only) or its files, shipped
 * with the run in its Secret (for skills the pod cannot reach on a volume).
 */
export interface RunSkill {
  runtimeName: string;
  sourcePath?: string;
  files?: readonly SkillFile[];
}

/** One file of a shipped skill: its path inside the skill directory and its text. */
export interface SkillFile {
  path: string;
  content: string;
}

/** Where an env value comes from when it is not a literal (as the pod spec has it). */
export interface EnvVarSource {
  secretKeyRef?: { name?: string; key: string; optional?: boolean };
  configMapKeyRef?: { name?: string; key: string; optional?: boolean };
  fieldRef?: { fieldPath: string; apiVersion?: string };
  resourceFieldRef?: { resource: string; containerName?: string; divisor?: unknown };
}

/**
 * An environment variable of the server's container as its pod spec declares it. The shapes
 * here are structural, so @kubernetes/client-node's V1EnvVar, V1Toleration and friends can be
 * passed as they come.
 */
export interface InheritedEnvVar {
  name: string;
  value?: string;
  /** A reference: copied as is (it names no value, so nothing secret is revealed). */
  valueFrom?: EnvVarSource;
}

/** A toleration as the API returns it (operator and effect as plain strings). */
export interface PodToleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface InheritedSecretVolume {
  secretName: string;
  mountPath: string;
  items?: { key: string; path: string; mode?: number }[];
  optional?: boolean;
  defaultMode?: number;
}

export interface PodDnsConfig {
  nameservers?: string[];
  searches?: string[];
  options?: { name?: string; value?: string }[];
}

/**
 * What the runtime learned about the pod it runs in (when the Paperclip server runs in a
 * cluster). Every field is a fallback for the matching config key; outside a pod, leave it
 * out and give everything in the config.
 */
export interface SelfPodInfo {
  namespace?: string;
  /** The main container's image. */
  image?: string;
  /** The claim behind the server's data mount: the volume shared with agent pods. */
  dataVolumeClaim?: string;
  /** Where the server mounts that claim (the root of the paths Paperclip hands over). */
  dataMountPath?: string;
  imagePullSecrets?: string[];
  dnsConfig?: PodDnsConfig;
  nodeSelector?: Record<string, string>;
  tolerations?: PodToleration[];
  /** The main container's env. The manifest applies the allowlist; pass it unfiltered. */
  env?: InheritedEnvVar[];
  /** The main container's Secret volumes; only those named in `inheritSecretVolumes` are used. */
  secretVolumes?: InheritedSecretVolume[];
}

/** The hook program that enableRtk runs, as the runtime read it from @claude-k8s/rtk-hook's built bin. */
export interface RtkHookProgram {
  /** The program's source text (one self-contained file). */
  program: string;
  /** How node must load it: decides the file extension (.mjs or .cjs). Default "module". */
  format?: "module" | "commonjs";
}

export function stringField(record: Record<string, unknown> | null | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

export function recordField(record: Record<string, unknown> | null | undefined, key: string): Record<string, unknown> | undefined {
  const value = record?.[key];
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The session to resume: `sessionParams.sessionId`, else the legacy `sessionId`. */
export function resumeSessionId(run: RunContext): string | undefined {
  return stringField(run.runtime?.sessionParams, "sessionId") ?? stringField(run.runtime ?? undefined, "sessionId");
}

/** The task this run works on: `taskId`, else `issueId` (what the public adapter labelled). */
export function taskIdOf(run: RunContext): string | undefined {
  return stringField(run.context, "taskId") ?? stringField(run.context, "issueId");
}

/** Ids and session must be usable as labels' sources, env values and argv: refuse what cannot be. */
export function checkRunContext(run: RunContext): void {
  const problems: string[] = [];
  const ids: [string, unknown][] = [
    ["runId", run.runId],
    ["agent.id", run.agent?.id],
    ["agent.companyId", run.agent?.companyId],
  ];
  for (const [what, value] of ids) {
    if (typeof value !== "string" || value.trim() === "") problems.push(`${what} is empty`);
    else if (value.includes("\0")) problems.push(`${what} contains a NUL character`);
    else if (value.length > 1024) problems.push(`${what} is ${value.length} characters long`);
  }
  const sessionId = problems.length === 0 ? resumeSessionId(run) : undefined;
  if (sessionId?.startsWith("-")) problems.push(`session id ${JSON.stringify(sessionId)} starts with '-' and would read as a flag`);
  if (sessionId?.includes("\0")) problems.push("the session id contains a NUL character");
  if (problems.length > 0) {
    throw new ManifestError(
      ManifestErrorCode.runContextInvalid,
      `the run context cannot make a Job: ${problems.join("; ")}. This comes from Paperclip or the runtime, not the agent's config.`,
    );
  }
}
