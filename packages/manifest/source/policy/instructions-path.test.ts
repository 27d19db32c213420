import { describe, expect, it } from "vitest";
import { isAllowedInstructionsPath } from "./instructions-path.ts";

const scope = { workspaceCwd: "/paperclip/instances/default/workspaces/a1", agentId: "a1", companyId: "c1" };

describe("where the server may read an agent's instructions file", () => {
  it("reads from the run's workspace and the agent's managed instructions directory", () => {
    expect(isAllowedInstructionsPath("/paperclip/instances/default/workspaces/a1/AGENTS.md", scope)).toBe(true);
    expect(isAllowedInstructionsPath("/paperclip/instances/default/companies/c1/agents/a1/instructions/AGENTS.md", scope)).toBe(true);
  });

  it.each([
    "/var/run/secrets/kubernetes.io/serviceaccount/token",
    "/proc/self/environ",
    "/paperclip/instances/default/secrets/master.key",
    "/paperclip/instances/default/.env",
    "/paperclip/instances/default/companies/c1/agents/a2/instructions/AGENTS.md",
    "/paperclip/instances/default/companies/c2/agents/a1/instructions/AGENTS.md",
    "/paperclip/instances/default/workspaces/a10/AGENTS.md",
    "/paperclip/instances/default/workspaces/a1",
  ])("refuses %s", (path) => {
    expect(isAllowedInstructionsPath(path, scope)).toBe(false);
  });

  it("reads from directories the operator allowed", () => {
    expect(isAllowedInstructionsPath("/srv/instructions/ceo.md", { ...scope, operatorDirs: ["/srv/instructions"] })).toBe(true);
    expect(isAllowedInstructionsPath("/srv/instructions-other/ceo.md", { ...scope, operatorDirs: ["/srv/instructions"] })).toBe(false);
  });
});
