import type { ResourceRequirements } from "./types.ts";

/** The public adapter's heartbeat prompt, kept word for word so agents behave the same. */
export const DEFAULT_PROMPT_TEMPLATE = "You are agent {{agent.id}} ({{agent.name}}). Continue your Paperclip work.";

/**
 * Bounded by default: the ephemeral-storage limit keeps a runaway agent (logs, caches, a
 * clone in /tmp) from filling the node's disk, which would evict its neighbours; the request
 * reserves a little of it at scheduling. The workspace on the shared volume does not count.
 */
export const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "1000m", memory: "2Gi", "ephemeral-storage": "1Gi" },
  limits: { cpu: "4000m", memory: "8Gi", "ephemeral-storage": "20Gi" },
};

export const DEFAULT_WORKSPACE_MOUNT_PATH = "/paperclip";
export const DEFAULT_UID = 1000;
export const DEFAULT_GID = 1000;
export const DEFAULT_TTL_SECONDS_AFTER_FINISHED = 300;
export const DEFAULT_GRACE_SEC = 60;
/**
 * The Job's activeDeadlineSeconds when timeoutSec is 0 (6 h): a backstop so no Job runs
 * forever, far past any run Paperclip waits for. `jobDeadlineSec` overrides it (0 = none).
 */
export const DEFAULT_JOB_DEADLINE_SEC = 21_600;
export const DEFAULT_POD_SCHEDULE_TIMEOUT_SEC = 120;
export const DEFAULT_POD_START_TIMEOUT_SEC = 600;
export const DEFAULT_RTK_MAX_OUTPUT_BYTES = 50_000;
export const DEFAULT_SECRET_REF = "paperclip-secrets";
