import type { AdapterConfig } from "../config/types.ts";
import { ManifestError, ManifestErrorCode } from "../errors.ts";
import { isEnvVarName } from "../k8s-formats.ts";
import type { EnvVarSource, InheritedEnvVar } from "../run-context.ts";
import { envStringBytes, envStringFits, MAX_ENV_STRING_BYTES, MAX_ENV_TOTAL_BYTES, utf8Length } from "./env-size.ts";
import { type InheritanceRules, isHostOnlyEnvName, isInheritableEnvName, isSwitchOn } from "./inheritance.ts";
import { escapeKubeletExpansion } from "./kubelet-escape.ts";
import { RUN_IDENTITY_ENV, SHEDDABLE_RUN_ENV } from "./run-env.ts";
import { isPublicEnv, isSensitiveEnv } from "./sensitive.ts";

/** One entry of a container's `env`, as the pod spec takes it. */
export type PodEnvVar = { name: string; value: string } | { name: string; valueFrom: EnvVarSource };

export interface EnvLayeringInput {
  config: Pick<AdapterConfig, "env" | "inheritEnv"> & Partial<Pick<AdapterConfig, "envSecretKeyRefs">>;
  /** Layer 0: defaults any other layer may replace (HOME). */
  defaults: Map<string, string>;
  /** Layer 1: the run context's variables. */
  runEnv: Map<string, string>;
  /** Layer 2: the server container's env, unfiltered (the allowlist is applied here). */
  inherited: readonly InheritedEnvVar[];
  /** What the operator opts every agent pod into inheriting (CLAUDE_K8S_INHERIT_ENV). */
  operatorInheritEnv?: readonly string[];
  /** The run's agent JWT: PAPERCLIP_API_KEY. */
  authToken: string | undefined;
  /** The per-run Secret that sensitive values move into. */
  secretName: string;
  /**
   * The Job runs in another namespace than the server: references to the server's Secrets
   * and ConfigMaps would not resolve there (the pod would never start), so they are skipped.
   */
  crossNamespace: boolean;
}

export interface LayeredEnv {
  /** The container's env: literals that are not credentials, and references. Sorted by name. */
  env: PodEnvVar[];
  /** Per-run Secret entries (`env.<NAME>` -> value) for the credentials. */
  secretData: Record<string, string>;
  warnings: string[];
}

/** The Secret key that carries the env variable `name`. */
export function envSecretKey(name: string): string {
  return `env.${name}`;
}

type Entry = { from: string; value: string } | { from: string; valueFrom: EnvVarSource };

/**
 * Env layering, lowest first: defaults, run context, allowlisted inherited env, `config.env`
 * (wins); the run's identity (run/agent/company id, API key) cannot be replaced by any layer.
 * Host-only keys Paperclip adds to `config.env` are dropped. Credentials move into the
 * per-run Secret. Every value must fit one exec string (128 KiB): run-derived JSON that does
 * not is shed and listed in PAPERCLIP_ENV_SHED_JSON; anything else too large is an error.
 */
export function layerEnv(input: EnvLayeringInput): LayeredEnv {
  const warnings: string[] = [];
  const entries = new Map<string, Entry>();
  for (const [name, value] of input.defaults) entries.set(name, { from: "default", value });
  for (const [name, value] of input.runEnv) entries.set(name, { from: "run", value });

  const rules: InheritanceRules = {
    operator: input.operatorInheritEnv ?? [],
    agent: input.config.inheritEnv,
    provider: {
      bedrock: isSwitchOn(literalOf(input.inherited, "CLAUDE_CODE_USE_BEDROCK")),
      vertex: isSwitchOn(literalOf(input.inherited, "CLAUDE_CODE_USE_VERTEX")),
    },
  };
  for (const variable of input.inherited) {
    const { name } = variable;
    if (!isEnvVarName(name) || RUN_IDENTITY_ENV.has(name) || !isInheritableEnvName(name, rules)) continue;
    if (variable.valueFrom !== undefined) {
      const { secretKeyRef, configMapKeyRef } = variable.valueFrom;
      if (input.crossNamespace && (secretKeyRef !== undefined || configMapKeyRef !== undefined)) {
        const kind = secretKeyRef !== undefined ? "Secret" : "ConfigMap";
        warnings.push(`inherited ${name} was skipped: its ${kind} lives in the server's namespace, not the Job's`);
        continue;
      }
      entries.set(name, { from: `inherited ${name}`, valueFrom: variable.valueFrom });
    } else if (typeof variable.value === "string" && variable.value !== "") {
      entries.set(name, { from: `inherited ${name}`, value: variable.value });
    }
  }

  const hostOnly: string[] = [];
  for (const [name, value] of Object.entries(input.config.env)) {
    if (isHostOnlyEnvName(name)) {
      hostOnly.push(name);
    } else if (RUN_IDENTITY_ENV.has(name)) {
      warnings.push(`env.${name} was ignored: it identifies the run and is set by the adapter`);
    } else {
      entries.set(name, { from: `config env.${name}`, value });
    }
  }
  for (const [name, ref] of Object.entries(input.config.envSecretKeyRefs ?? {})) {
    if (RUN_IDENTITY_ENV.has(name)) warnings.push(`envSecretKeyRefs.${name} was ignored: it identifies the run and is set by the adapter`);
    else entries.set(name, { from: `config envSecretKeyRefs.${name}`, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } });
  }
  if (hostOnly.length > 0) {
    // One line, not one per variable: the server adds about ten of these to every run.
    warnings.push(`env ${hostOnly.join(", ")} not passed to the pod: Paperclip sets them for the server's own host (its paths and settings)`);
  }
  if (input.authToken) entries.set("PAPERCLIP_API_KEY", { from: "run auth token", value: input.authToken });

  const shed: Record<string, number> = {};
  for (const [name, entry] of entries) {
    if (!("value" in entry) || envStringFits(name, entry.value)) continue;
    if (entry.from === "run" && SHEDDABLE_RUN_ENV.has(name)) {
      shed[name] = utf8Length(entry.value);
      entries.delete(name);
      warnings.push(`${name} (${shed[name]} bytes) was left out: one env string must stay under ${MAX_ENV_STRING_BYTES} bytes`);
      continue;
    }
    throw new ManifestError(
      ManifestErrorCode.envTooLarge,
      `${entry.from} is ${utf8Length(entry.value)} bytes; one environment string (NAME=value) must stay under ` +
        `${MAX_ENV_STRING_BYTES} bytes (Linux MAX_ARG_STRLEN) or the container fails to start with E2BIG. ` +
        "Put large content in a file on the shared volume and pass its path instead.",
    );
  }
  shedToFitTotal(entries, shed, warnings);
  if (Object.keys(shed).length > 0) entries.set("PAPERCLIP_ENV_SHED_JSON", { from: "run", value: JSON.stringify(shed) });

  const env: PodEnvVar[] = [];
  const secretData: Record<string, string> = {};
  for (const name of [...entries.keys()].sort()) {
    const entry = entries.get(name)!;
    if ("valueFrom" in entry) env.push({ name, valueFrom: entry.valueFrom });
    else if (mustTravelInSecret(name, entry)) {
      secretData[envSecretKey(name)] = entry.value;
      env.push({ name, valueFrom: { secretKeyRef: { name: input.secretName, key: envSecretKey(name) } } });
    } else env.push({ name, value: escapeKubeletExpansion(entry.value) });
  }
  return { env, secretData, warnings };
}

function literalOf(inherited: readonly InheritedEnvVar[], name: string): string | undefined {
  return inherited.find((variable) => variable.name === name)?.value;
}

/**
 * Values from config or the server's env are literals only when their name is known to be
 * public; the adapter's own layers (defaults, run context) only when no name or value looks
 * like a credential. The run's token always travels in the Secret.
 */
function mustTravelInSecret(name: string, entry: { from: string; value: string }): boolean {
  if (entry.from === "default" || entry.from === "run") return isSensitiveEnv(name, entry.value);
  return !isPublicEnv(name, entry.value);
}

/**
 * Keeps the literal environment within its share of the exec limit: sheds run-derived JSON,
 * largest first, and refuses when that is not enough (naming the largest variables).
 */
function shedToFitTotal(entries: Map<string, Entry>, shed: Record<string, number>, warnings: string[]): void {
  const literalBytes = (name: string, entry: Entry) => ("value" in entry ? envStringBytes(name, entry.value) : 0);
  let total = 0;
  for (const [name, entry] of entries) total += literalBytes(name, entry);
  if (total <= MAX_ENV_TOTAL_BYTES) return;
  const sheddable = [...entries]
    .filter(([name, entry]) => entry.from === "run" && SHEDDABLE_RUN_ENV.has(name) && "value" in entry)
    .sort(([nameA, a], [nameB, b]) => literalBytes(nameB, b) - literalBytes(nameA, a));
  for (const [name, entry] of sheddable) {
    if (total <= MAX_ENV_TOTAL_BYTES) return;
    total -= literalBytes(name, entry);
    entries.delete(name);
    // Like the per-string shedding: the size of the value that was left out.
    shed[name] = "value" in entry ? utf8Length(entry.value) : 0;
    warnings.push(`${name} (${shed[name]} bytes) was left out: the environment as a whole must stay under ${MAX_ENV_TOTAL_BYTES} bytes`);
  }
  if (total <= MAX_ENV_TOTAL_BYTES) return;
  const largest = [...entries]
    .map(([name, entry]) => ({ from: entry.from, bytes: literalBytes(name, entry) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3)
    .map((item) => `${item.from} ${item.bytes} bytes`)
    .join(", ");
  throw new ManifestError(
    ManifestErrorCode.envTooLarge,
    `the container's environment would be ${total} bytes; it must stay under ${MAX_ENV_TOTAL_BYTES} bytes or exec fails with E2BIG ` +
      `(largest: ${largest}). Put large content in files on the shared volume and pass their paths instead.`,
  );
}
