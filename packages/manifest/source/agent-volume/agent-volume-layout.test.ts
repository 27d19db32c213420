import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mapWorkspaceOntoAgentVolume } from "./agent-volume-layout.ts";

const MOUNT = "/paperclip";

describe("mapWorkspaceOntoAgentVolume", () => {
  it("maps Paperclip's fallback workspace (and a saved session's cwd) to the volume's workspace", () => {
    for (const source of ["agent_home", "task_session", undefined]) {
      const mapped = mapWorkspaceOntoAgentVolume({ cwd: "/srv/paperclip/instances/default/workspaces/a1", ...(source ? { source } : {}) }, MOUNT);
      expect(mapped).toEqual({ workingDir: "/paperclip/workspace", home: "/paperclip/home", fallback: "/paperclip/workspace", warnings: [] });
    }
    expect(mapWorkspaceOntoAgentVolume(undefined, MOUNT).workingDir).toBe("/paperclip/workspace");
  });

  it("gives a project workspace with a repository its own checkout, at the ref and branch Paperclip chose", () => {
    const mapped = mapWorkspaceOntoAgentVolume(
      { source: "project_primary", projectId: "p1", workspaceId: "w1", repoUrl: "http://git.lab/repo.git", repoRef: "main", strategy: "git_worktree", branchName: "pap-7" },
      MOUNT,
    );
    expect(mapped.checkout).toEqual({ repoUrl: "http://git.lab/repo.git", repoRef: "main", branchName: "pap-7", dir: mapped.workingDir });
    expect(mapped.workingDir).toMatch(/^\/paperclip\/projects\/w1-[0-9a-f]{10}$/);
    expect(mapped.warnings).toEqual([]);
  });

  it("warns that a project without a repository stays on the server", () => {
    const mapped = mapWorkspaceOntoAgentVolume({ source: "project_primary", projectId: "p1", cwd: "/srv/x" }, MOUNT);
    expect(mapped.checkout).toBeUndefined();
    expect(mapped.workingDir.startsWith("/paperclip/projects/")).toBe(true);
    expect(mapped.warnings[0]).toMatch(/has no repository.*configure workspaceVolumeClaim/);
  });

  it("keeps every path inside the volume, HOME apart from every workspace, and distinct workspaces apart", () => {
    const workspace = fc.record(
      {
        source: fc.constantFrom("project_primary", "agent_home", "task_session"),
        projectId: fc.string({ maxLength: 40 }),
        workspaceId: fc.string({ maxLength: 40 }),
        repoUrl: fc.string({ maxLength: 80 }),
        cwd: fc.string({ maxLength: 80 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(workspace, workspace, (a, b) => {
        const first = mapWorkspaceOntoAgentVolume(a, MOUNT);
        const second = mapWorkspaceOntoAgentVolume(b, MOUNT);
        for (const mapped of [first, second]) {
          expect(mapped.workingDir.startsWith(`${MOUNT}/`)).toBe(true);
          expect(mapped.workingDir.split("/")).not.toContain("..");
          expect(mapped.workingDir.startsWith(mapped.home)).toBe(false);
        }
        const key = (w: typeof a) => (w.repoUrl?.trim() ? `${w.workspaceId?.trim() || w.projectId?.trim()}|${w.repoUrl.trim()}` : undefined);
        if (key(a) !== undefined && key(b) !== undefined && key(a) !== key(b)) expect(first.workingDir).not.toBe(second.workingDir);
      }),
    );
  });
});
