import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { agentHomeRelative, mountExposure } from "./mount-exposure.ts";

const owner = { agentId: "agent-a", companyId: "company-a" };
const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

describe("what a run may mount of the shared volume", () => {
  it("allows the agent's own HOME and workspace, and its company's projects", () => {
    expect(mountExposure(agentHomeRelative("agent-a"), owner, true)).toBeUndefined();
    expect(mountExposure("instances/default/workspaces/agent-a", owner, true)).toBeUndefined();
    expect(mountExposure("data/instances/default/workspaces/agent-a/src", owner, true)).toBeUndefined();
    expect(mountExposure("instances/default/projects/company-a/p1/repo", owner, true)).toBeUndefined();
    expect(mountExposure("instances/default/companies/company-a/agents/agent-a/instructions", owner, true)).toBeUndefined();
  });

  it("lets skills be read from shared skill directories, but never from the server's state", () => {
    expect(mountExposure("instances/default/skills/paperclip", owner, false)).toBeUndefined();
    expect(mountExposure("instances/default/skills/paperclip", owner, true)).toMatch(/read-only/);
    expect(mountExposure("instances/default/secrets", owner, false)).toMatch(/secrets/);
  });

  // Anything a hostile agent (or a config it wrote) might name, built from the words that matter.
  const segment = fc.constantFrom("instances", "default", "secrets", "db", ".env", "workspaces", "projects", "companies", "agents", "skills", ".claude-k8s", "homes", "agent-a", "agent-b", "company-a", "company-b", "p1", "src");
  const relative = fc.array(segment, { maxLength: 7 }).map((segments) => segments.join("/"));
  const protectedPaths = [
    "instances/default/secrets/master.key",
    "instances/default/.env",
    "instances/default/db/PG_VERSION",
    "instances/default/logs/server.log",
    "instances/default/workspaces/agent-b",
    "instances/default/projects/company-b/p1",
    "instances/default/companies/company-b",
    "instances/default/companies/company-a/agents/agent-b",
    ".claude-k8s/homes/agent-b/.claude/settings.json",
  ];

  // The volume's root is Paperclip's data directory (serverMountPath = PAPERCLIP_HOME), as in a
  // real install. (A data directory deeper inside the volume is found by the adapter, which
  // looks into the directories it is about to mount: the path alone cannot tell.)
  it("never allows a writable mount that holds or lies in another's files or the server's secrets (property)", () => {
    fc.assert(
      fc.property(relative, (path) => {
        if (mountExposure(path, owner, true) !== undefined) return;
        for (const target of protectedPaths) expect(overlaps(path, target), `${path} vs ${target}`).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("never allows a read-only mount of the server's secrets or another agent's HOME (property)", () => {
    fc.assert(
      fc.property(relative, (path) => {
        if (mountExposure(path, owner, false) !== undefined) return;
        for (const target of ["instances/default/secrets/master.key", "instances/default/.env", "instances/default/db/PG_VERSION", ".claude-k8s/homes/agent-b/.claude"]) {
          expect(overlaps(path, target), `${path} vs ${target}`).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
