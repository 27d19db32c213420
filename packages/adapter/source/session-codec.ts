// Paperclip stores `sessionParams` per agent and task and hands them back on the next run.
// Older rows, other adapters and the server's own handoff path use other spellings, so we
// read every alias the public adapter read, write one canonical form, and never invent a
// session: without an id there is nothing to resume.

export interface ClaudeSessionParams {
  sessionId: string;
  cwd?: string;
  workspaceId?: string;
  repoUrl?: string;
  repoRef?: string;
  promptBundleKey?: string;
  /** The model the session ran with: resuming with another model is refused by the CLI. */
  model?: string;
}

const ALIASES: Record<keyof ClaudeSessionParams, readonly string[]> = {
  sessionId: ["sessionId", "session_id"],
  cwd: ["cwd", "workdir", "folder"],
  workspaceId: ["workspaceId", "workspace_id"],
  repoUrl: ["repoUrl", "repo_url"],
  repoRef: ["repoRef", "repo_ref"],
  promptBundleKey: ["promptBundleKey", "prompt_bundle_key"],
  model: ["model"],
};

function read(raw: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = raw[name];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return undefined;
}

/** Canonical params from whatever was stored, or null when there is no session id. */
export function normalizeSessionParams(raw: unknown): ClaudeSessionParams | null {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return null;
  const record = raw as Record<string, unknown>;
  const sessionId = read(record, ALIASES.sessionId);
  if (!sessionId) return null;
  const params: ClaudeSessionParams = { sessionId };
  for (const key of ["cwd", "workspaceId", "repoUrl", "repoRef", "promptBundleKey", "model"] as const) {
    const value = read(record, ALIASES[key]);
    if (value !== undefined) params[key] = value;
  }
  return params;
}

/** Paperclip's AdapterSessionCodec shape. */
export const sessionCodec = {
  deserialize(raw: unknown): Record<string, unknown> | null {
    return normalizeSessionParams(raw) as Record<string, unknown> | null;
  },
  serialize(params: Record<string, unknown> | null): Record<string, unknown> | null {
    return normalizeSessionParams(params) as Record<string, unknown> | null;
  },
  /** The FULL session id: follow-up runs rebuild the session from the display id alone. */
  getDisplayId(params: Record<string, unknown> | null): string | null {
    return normalizeSessionParams(params)?.sessionId ?? null;
  },
};

/** Paperclip's AdapterSessionManagement: Claude manages its own context; we only resume. */
export const sessionManagement = {
  supportsSessionResume: true,
  nativeContextManagement: "confirmed",
  // As claude_local: compaction is on but every threshold is 0, so the CLI manages its own context.
  defaultSessionCompaction: { enabled: true, maxSessionRuns: 0, maxRawInputTokens: 0, maxSessionAgeHours: 0 },
} as const;
