import { ManifestError, ManifestErrorCode } from "./errors.ts";
import { utf8Length } from "./env/env-size.ts";
import { LabelKey } from "./labels.ts";

/** The API server refuses a Secret whose data adds up to more than 1 MiB. */
export const MAX_SECRET_BYTES = 1024 * 1024;

export interface SecretManifest {
  apiVersion: "v1";
  kind: "Secret";
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
  };
  type: "Opaque";
  /** Base64 of each entry's UTF-8 bytes. */
  data: Record<string, string>;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface RunSecretInput {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** Key -> text. Files (prompt, settings, hook) and `env.<NAME>` credentials alike. */
  entries: Record<string, string>;
}

/**
 * The per-run Secret. Not immutable on purpose: a re-execution of the same run (same name)
 * carries a freshly minted auth token, and the runtime must be able to update the Secret it
 * adopts. A Secret over 1 MiB is an error here, naming the largest entries, instead of a 422
 * from the API server after the run was announced.
 */
export function buildRunSecret(input: RunSecretInput): SecretManifest {
  const sizes = Object.entries(input.entries).map(([key, text]) => ({ key, bytes: utf8Length(text) }));
  const total = sizes.reduce((sum, entry) => sum + entry.bytes, 0);
  if (total > MAX_SECRET_BYTES) {
    const largest = [...sizes]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 3)
      .map((entry) => `${entry.key} ${entry.bytes} bytes`)
      .join(", ");
    throw new ManifestError(
      ManifestErrorCode.secretTooLarge,
      `the run's Secret ${input.name} would hold ${total} bytes, over the Kubernetes limit of ${MAX_SECRET_BYTES} (1 MiB); ` +
        `largest entries: ${largest}. Shorten the prompt (task markdown, templates, handoff) or the agent instructions, ` +
        "or move large content into files on the shared volume.",
    );
  }
  const data: Record<string, string> = {};
  for (const key of Object.keys(input.entries).sort()) data[key] = base64Utf8(input.entries[key]!);
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: input.name, namespace: input.namespace, labels: input.labels },
    type: "Opaque",
    data,
  };
}

function base64Utf8(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

/**
 * The Secret with an ownerReference to its Job, once the Job exists (its uid is only known
 * then): Kubernetes garbage collection then removes the Secret with the Job even if the
 * adapter dies before its own cleanup.
 */
export function withOwnerJob(secret: SecretManifest, job: { name: string; uid: string }): SecretManifest {
  const owner: OwnerReference = { apiVersion: "batch/v1", kind: "Job", name: job.name, uid: job.uid, blockOwnerDeletion: false };
  return { ...secret, metadata: { ...secret.metadata, ownerReferences: [owner] } };
}

/** Labels for the Secret: enough for the runtime's sweep to find a run's leftovers. */
export function secretLabels(jobLabels: Record<string, string>): Record<string, string> {
  const keep = [LabelKey.managedBy, LabelKey.adapterType, LabelKey.instance, LabelKey.agentId, LabelKey.runId, LabelKey.companyId];
  return Object.fromEntries(keep.filter((key) => jobLabels[key] !== undefined).map((key) => [key, jobLabels[key]!]));
}
