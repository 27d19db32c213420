import { shortHash } from "./hash.ts";
import { isLabelValue } from "./k8s-formats.ts";

/** Names of everything one run creates, all derived from (agentId, runId). */
export interface RunNames {
  /** Job name: DNS-1123 label, <= 63 characters, deterministic per (agent, run). */
  job: string;
  /** The per-run Secret (prompt, MCP config, sensitive env, hook files). */
  secret: string;
  namespace: string;
  /** The one container of the pod. */
  container: string;
}

export const CONTAINER_NAME = "claude";
/** Kept from the public adapter, so fleet tooling that matches on it keeps working. */
export const JOB_NAME_PREFIX = "ac";

/** Lowercase `[a-z0-9-]`, no leading or trailing '-', at most `max` characters. */
export function slug(raw: string, max: number): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, max)
    .replace(/-+$/, "");
}

/**
 * `ac-<agent slug>-<run slug>-<hash>`. The slugs make names readable in kubectl; the hash of
 * the raw ids makes them collision-resistant (two ids that slug alike still differ), and at
 * 12 hex digits two runs of one agent collide with odds of 1 in 2^48. At most 50 characters,
 * so the Job name also fits the `job-name` label the Job controller puts on its pod.
 */
export function jobNameFor(agentId: string, runId: string): string {
  const parts = [JOB_NAME_PREFIX, slug(agentId, 16), slug(runId, 16), shortHash([agentId, runId], 12)];
  return parts.filter((part) => part !== "").join("-");
}

export function runNamesFor(agentId: string, runId: string, namespace: string): RunNames {
  const job = jobNameFor(agentId, runId);
  return { job, secret: `${job}-run`, namespace, container: CONTAINER_NAME };
}

/**
 * A raw id as a label value. Ids that already are valid label values stay as they are (so
 * `kubectl get jobs -l paperclip.io/agent-id=<uuid>` works); anything else becomes a readable
 * prefix plus a hash of the raw id, so distinct ids never share a label value.
 */
export function toLabelValue(raw: string): string {
  if (raw !== "" && isLabelValue(raw)) return raw;
  const hash = shortHash([raw], 10);
  const readable = raw
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 63 - hash.length - 1)
    .replace(/[^A-Za-z0-9]+$/, "");
  return readable === "" ? hash : `${readable}-${hash}`;
}
