/**
 * Error codes the adapter maps onto Paperclip run results. They are stable: match on `code`,
 * never on the message. Names follow the public claude_k8s adapter where the meaning is the
 * same (`k8s_config_invalid`), and are new where we tell apart what it lumped together.
 */
export const ManifestErrorCode = {
  /** The adapter config is wrong (type, range, format, or a combination that cannot run). */
  configInvalid: "k8s_config_invalid",
  /** Agent config sets a key the operator's policy keeps for the operator (where or as whom a pod runs, what the server reads). */
  configForbidden: "k8s_config_forbidden",
  /** A volume mount would show the pod something that is not its own (the volume's root, Paperclip's instance secrets, another agent's HOME). */
  mountForbidden: "k8s_mount_forbidden",
  /** The run context handed over by Paperclip or the runtime cannot produce a Job (e.g. no agent id). */
  runContextInvalid: "k8s_run_context_invalid",
  /** A path Paperclip handed over lies outside the volume shared between server and pod. */
  pathOutsideVolume: "k8s_path_outside_volume",
  /** A project workspace's repository cannot be checked out into the agent's volume (bad URL or ref; at run time also refused credentials or a missing ref). */
  gitCheckoutFailed: "k8s_git_checkout_failed",
  /** The per-run Secret would exceed the Kubernetes limit of 1 MiB. */
  secretTooLarge: "k8s_secret_too_large",
  /** One environment string (NAME=value) would reach Linux's 128 KiB per-string exec limit. */
  envTooLarge: "k8s_env_too_large",
} as const;

export type ManifestErrorCode = (typeof ManifestErrorCode)[keyof typeof ManifestErrorCode];

/** One thing wrong with the config, precise enough to fix without reading our source. */
export interface ConfigIssue {
  /** Dotted key path, e.g. `resources.limits.cpu` or `env.MY_VAR`. */
  path: string;
  /** What the key must be. */
  expected: string;
  /** What arrived, rendered short (type and a clipped value). */
  received: string;
  /** A value that would be accepted. */
  example?: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const example = issue.example === undefined ? "" : ` (for example ${issue.example})`;
  return `${issue.path}: expected ${issue.expected}${example}, got ${issue.received}`;
}

/** Every error this package throws. `code` is what the adapter reports as the run's errorCode. */
export class ManifestError extends Error {
  readonly code: ManifestErrorCode;
  /** For config errors: every problem found, not just the first. */
  readonly issues: readonly ConfigIssue[];

  constructor(code: ManifestErrorCode, message: string, issues: readonly ConfigIssue[] = []) {
    super(message);
    this.name = "ManifestError";
    this.code = code;
    this.issues = issues;
  }
}

export function configError(issues: readonly ConfigIssue[]): ManifestError {
  const lines = issues.map((issue) => `  - ${formatIssue(issue)}`).join("\n");
  const noun = issues.length === 1 ? "problem" : "problems";
  return new ManifestError(
    ManifestErrorCode.configInvalid,
    `claude_k8s adapter config has ${issues.length} ${noun}; fix the agent's adapter config:\n${lines}`,
    issues,
  );
}

/**
 * Renders an input value for an error message: its type and, for values that may be shown, a
 * clipped preview. Strings are echoed only when `echo` is set: a config value may be a token
 * (an `env` given as a JSON string, an MCP header), and error messages reach run logs.
 */
export function describeValue(value: unknown, echo = false): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "string") {
    if (!echo) return value.trim() === "" ? "an empty string" : `a string of ${value.length} characters`;
    const clipped = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return `the string ${JSON.stringify(clipped)}`;
  }
  if (typeof value === "object") return "an object";
  if (typeof value === "number" || typeof value === "boolean") return echo ? `${typeof value} ${String(value)}` : `a ${typeof value}`;
  return typeof value;
}
