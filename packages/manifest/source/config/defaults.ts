import type { ResourceRequirements } from "./types.ts";

/** The public adapter's heartbeat prompt, kept word for word so agents behave the same. */
export const DEFAULT_PROMPT_TEMPLATE = "You are agent {{agent.id}} ({{agent.name}}). Continue your Paperclip work.";

export const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: "1000m", memory: "2Gi" },
  limits: { cpu: "4000m", memory: "8Gi" },
};

export const DEFAULT_WORKSPACE_MOUNT_PATH = "/paperclip";
export const DEFAULT_UID = 1000;
export const DEFAULT_GID = 1000;
export const DEFAULT_TTL_SECONDS_AFTER_FINISHED = 300;
export const DEFAULT_GRACE_SEC = 60;
export const DEFAULT_POD_SCHEDULE_TIMEOUT_SEC = 120;
export const DEFAULT_POD_START_TIMEOUT_SEC = 600;
export const DEFAULT_RTK_MAX_OUTPUT_BYTES = 50_000;
export const DEFAULT_SECRET_REF = "paperclip-secrets";
