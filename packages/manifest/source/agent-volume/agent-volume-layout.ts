import { shortHash } from "../hash.ts";
import { slug } from "../names.ts";
import { joinPath } from "../paths.ts";
import { stringField } from "../run-context.ts";

/** Where things live on an agent's own volume, relative to its root. */
export const AgentVolumeDir = {
  /** HOME: claude's sessions, settings and caches; the same path every run, so sessions resume. */
  home: "home",
  /** Paperclip's fallback workspace (`<instance>/workspaces/<agent>` on the server). */
  workspace: "workspace",
  /** One checkout per project workspace: `projects/<key>`. */
  projects: "projects",
} as const;

/** A repository the pod brings into the agent's volume before claude starts. */
export interface CheckoutPlan {
  repoUrl: string;
  /** Branch, tag or commit to check out; unset: the remote's default branch. */
  repoRef?: string;
  /** With Paperclip's `git_worktree` strategy: the branch the run works on (created from repoRef when missing). */
  branchName?: string;
  /** Pod path of the checkout. */
  dir: string;
}

export interface AgentVolumeWorkspace {
  /** The pod path claude starts in. */
  workingDir: string;
  /** The agent's HOME (pod path). */
  home: string;
  /** Pod path standing for Paperclip's fallback workspace (`AGENT_HOME` in claude_local). */
  fallback: string;
  checkout?: CheckoutPlan;
  /** Why the run sees less than the server has (for the run log). */
  warnings: string[];
}

/**
 * Maps the workspace Paperclip chose (server paths, see docs/paperclip-workspaces.md) onto the
 * agent's own volume, by meaning rather than by path prefix: the server's directories are not
 * in the pod, so what matters is which workspace it is.
 * - a project workspace with a repository: its checkout, which the pod clones or fetches;
 * - a project workspace without one: an empty directory of the project, with a warning (its
 *   files stay on the server's disk);
 * - anything else (Paperclip's fallback, a saved session's cwd): the fallback workspace.
 */
export function mapWorkspaceOntoAgentVolume(workspace: Record<string, unknown> | undefined, mountPath: string): AgentVolumeWorkspace {
  const home = joinPath(mountPath, AgentVolumeDir.home);
  const fallback = joinPath(mountPath, AgentVolumeDir.workspace);
  const warnings: string[] = [];
  const repoUrl = stringField(workspace, "repoUrl");
  const projectId = stringField(workspace, "projectId");
  const workspaceId = stringField(workspace, "workspaceId");
  const source = stringField(workspace, "source");
  if (repoUrl !== undefined) {
    const dir = joinPath(mountPath, `${AgentVolumeDir.projects}/${checkoutKey(workspaceId ?? projectId, repoUrl)}`);
    const repoRef = stringField(workspace, "repoRef");
    const branchName = stringField(workspace, "strategy") === "git_worktree" ? stringField(workspace, "branchName") : undefined;
    return {
      workingDir: dir,
      home,
      fallback,
      checkout: { repoUrl, dir, ...(repoRef === undefined ? {} : { repoRef }), ...(branchName === undefined ? {} : { branchName }) },
      warnings,
    };
  }
  if (source === "project_primary" && projectId !== undefined) {
    warnings.push(
      `project workspace ${stringField(workspace, "cwd") ?? projectId} has no repository, and without a shared volume its files stay on the server: ` +
        "the run works in an empty project directory on the agent's volume (give the project workspace a repository, or configure workspaceVolumeClaim)",
    );
    return { workingDir: joinPath(mountPath, `${AgentVolumeDir.projects}/${checkoutKey(workspaceId ?? projectId, "")}`), home, fallback, warnings };
  }
  return { workingDir: fallback, home, fallback, warnings };
}

/** A directory name per project workspace: readable, and distinct for distinct ids. */
function checkoutKey(id: string | undefined, repoUrl: string): string {
  const readable = slug(id ?? repoUrl.replace(/\.git$/, "").split(/[/:]/).pop() ?? "", 24) || "repo";
  return `${readable}-${shortHash([id ?? "", repoUrl], 10)}`;
}
