import { recordField, type RunContext, stringField, taskIdOf } from "../run-context.ts";

/** Run-context variables the agent reads, named as the public adapter and claude_local name them. */
export interface RunEnvInput {
  run: RunContext;
  /** Pod-side paths (already translated) for the workspace variables. */
  workspaceCwd: string | undefined;
  worktreePath: string | undefined;
  agentHome: string | undefined;
  paperclipApiUrl: string | undefined;
}

/**
 * Variables whose value is JSON derived from the run; the only ones that may be shed (left out,
 * noted in PAPERCLIP_ENV_SHED_JSON) when too large for one env string. The same content is in
 * the prompt or reachable through the Paperclip API.
 */
export const SHEDDABLE_RUN_ENV: ReadonlySet<string> = new Set([
  "PAPERCLIP_WAKE_PAYLOAD_JSON",
  "PAPERCLIP_WORKSPACES_JSON",
  "PAPERCLIP_RUNTIME_SERVICE_INTENTS_JSON",
  "PAPERCLIP_RUNTIME_SERVICES_JSON",
]);

/** Keys that identify the run: no other layer may replace them. */
export const RUN_IDENTITY_ENV: ReadonlySet<string> = new Set([
  "PAPERCLIP_RUN_ID",
  "PAPERCLIP_AGENT_ID",
  "PAPERCLIP_COMPANY_ID",
  "PAPERCLIP_API_KEY",
]);

export function runContextEnv(input: RunEnvInput): Map<string, string> {
  const { run } = input;
  const context = run.context ?? undefined;
  const workspace = recordField(context, "paperclipWorkspace");
  const env = new Map<string, string>();
  const set = (name: string, value: string | undefined) => {
    // A NUL cannot cross exec; such a value is garbage from upstream, not worth failing the run.
    if (value !== undefined && value !== "" && !value.includes("\0")) env.set(name, value);
  };
  set("PAPERCLIP_AGENT_ID", run.agent.id);
  set("PAPERCLIP_COMPANY_ID", run.agent.companyId);
  set("PAPERCLIP_API_URL", input.paperclipApiUrl);
  set("PAPERCLIP_RUN_ID", run.runId);
  set("PAPERCLIP_TASK_ID", taskIdOf(run));
  set("PAPERCLIP_WAKE_REASON", stringField(context, "wakeReason"));
  set("PAPERCLIP_WAKE_COMMENT_ID", stringField(context, "wakeCommentId") ?? stringField(context, "commentId"));
  set("PAPERCLIP_APPROVAL_ID", stringField(context, "approvalId"));
  set("PAPERCLIP_APPROVAL_STATUS", stringField(context, "approvalStatus"));
  set("PAPERCLIP_ISSUE_WORK_MODE", stringField(context, "issueWorkMode"));
  const issueIds = context?.issueIds;
  if (Array.isArray(issueIds)) {
    set("PAPERCLIP_LINKED_ISSUE_IDS", issueIds.filter((id): id is string => typeof id === "string" && id.trim() !== "").join(","));
  }
  set("PAPERCLIP_WAKE_PAYLOAD_JSON", jsonOf(context?.paperclipWake));
  set("PAPERCLIP_WORKSPACE_CWD", input.workspaceCwd);
  set("PAPERCLIP_WORKSPACE_SOURCE", stringField(workspace, "source"));
  set("PAPERCLIP_WORKSPACE_STRATEGY", stringField(workspace, "strategy"));
  set("PAPERCLIP_WORKSPACE_ID", stringField(workspace, "workspaceId") ?? stringField(workspace, "id"));
  set("PAPERCLIP_WORKSPACE_REPO_URL", stringField(workspace, "repoUrl"));
  set("PAPERCLIP_WORKSPACE_REPO_REF", stringField(workspace, "repoRef"));
  set("PAPERCLIP_WORKSPACE_BRANCH", stringField(workspace, "branchName") ?? stringField(workspace, "branch"));
  set("PAPERCLIP_WORKSPACE_WORKTREE_PATH", input.worktreePath);
  set("AGENT_HOME", input.agentHome);
  set("PAPERCLIP_WORKSPACES_JSON", jsonOf(context?.paperclipWorkspaces));
  set("PAPERCLIP_RUNTIME_SERVICE_INTENTS_JSON", jsonOf(context?.paperclipRuntimeServiceIntents));
  set("PAPERCLIP_RUNTIME_SERVICES_JSON", jsonOf(context?.paperclipRuntimeServices));
  set("PAPERCLIP_RUNTIME_PRIMARY_URL", stringField(context, "paperclipRuntimePrimaryUrl"));
  return env;
}

function jsonOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.length === 0) return undefined;
  try {
    return JSON.stringify(value);
  } catch {
    // A context value JSON cannot represent (a cycle, a BigInt) is not worth failing the run for.
    return undefined;
  }
}
