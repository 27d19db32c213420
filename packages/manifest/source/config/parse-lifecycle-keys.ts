import { isDns1123Subdomain } from "../k8s-formats.ts";
import {
  DEFAULT_GRACE_SEC,
  DEFAULT_JOB_DEADLINE_SEC,
  DEFAULT_POD_SCHEDULE_TIMEOUT_SEC,
  DEFAULT_POD_START_TIMEOUT_SEC,
  DEFAULT_SECRET_REF,
  DEFAULT_TTL_SECONDS_AFTER_FINISHED,
} from "./defaults.ts";
import { type IssueList, readBoolean, readInteger, readString } from "./read-values.ts";
import type { AdapterConfig } from "./types.ts";

type LifecycleKeys = Pick<
  AdapterConfig,
  | "ttlSecondsAfterFinished"
  | "retainJobs"
  | "reattachOrphanedJobs"
  | "timeoutSec"
  | "jobDeadlineSec"
  | "graceSec"
  | "podScheduleTimeoutSec"
  | "podStartTimeoutSec"
  | "secretRef"
>;

/** The API server caps int32 fields; a year is more than any run should take anyway. */
const MAX_SECONDS = 2_147_483_647;

export function parseLifecycleKeys(raw: Record<string, unknown>, issues: IssueList): LifecycleKeys {
  const seconds = (key: string, min: number, fallback: number, example: string): number =>
    readInteger(raw[key], key, issues, { min, max: MAX_SECONDS }, example) ?? fallback;
  const secretRef = readString(raw.secretRef, "secretRef", issues, '"paperclip-secrets"');
  if (secretRef !== undefined && !isDns1123Subdomain(secretRef)) {
    issues.add("secretRef", "a Secret name (DNS-1123 subdomain)", raw.secretRef, '"paperclip-secrets"');
  }
  const ttl = seconds("ttlSecondsAfterFinished", 0, DEFAULT_TTL_SECONDS_AFTER_FINISHED, "300");
  if (ttl < 30) {
    issues.warn(
      `ttlSecondsAfterFinished ${ttl} lets Kubernetes delete a Job moments after it finishes: the adapter may not see its final status`,
    );
  }
  return {
    ttlSecondsAfterFinished: ttl,
    retainJobs: readBoolean(raw.retainJobs, "retainJobs", issues) ?? false,
    reattachOrphanedJobs: readBoolean(raw.reattachOrphanedJobs, "reattachOrphanedJobs", issues) ?? true,
    timeoutSec: seconds("timeoutSec", 0, 0, "3600"),
    jobDeadlineSec: seconds("jobDeadlineSec", 0, DEFAULT_JOB_DEADLINE_SEC, "21600"),
    graceSec: seconds("graceSec", 0, DEFAULT_GRACE_SEC, "60"),
    podScheduleTimeoutSec: seconds("podScheduleTimeoutSec", 1, DEFAULT_POD_SCHEDULE_TIMEOUT_SEC, "120"),
    podStartTimeoutSec: seconds("podStartTimeoutSec", 1, DEFAULT_POD_START_TIMEOUT_SEC, "600"),
    secretRef: secretRef ?? DEFAULT_SECRET_REF,
  };
}
