import { describe, expect, it } from "vitest";
import { buildClaudeArgv } from "./claude-argv.ts";
import { configFrom } from "./test-utils/fixtures.ts";

describe("buildClaudeArgv", () => {
  it("never leaves a many-valued flag where a following argument could be swallowed", () => {
    const config = configFrom({ dangerouslySkipPermissions: false, extraArgs: ["positional-looking"] });
    for (const argv of [
      buildClaudeArgv({ config, addDir: "/skills" }),
      buildClaudeArgv({ config, addDir: "/skills", mcpConfigFile: "/run/mcp.json" }),
    ]) {
      for (const flag of ["--add-dir", "--mcp-config"].filter((name) => argv.includes(name))) {
        const next = argv[argv.indexOf(flag) + 2];
        expect(next?.startsWith("--"), `${flag} is followed by ${next}`).toBe(true);
      }
      expect(argv.at(-1)).toBe("positional-looking");
    }
  });

  it("puts the instructions file only on fresh sessions", () => {
    const config = configFrom();
    expect(buildClaudeArgv({ config, appendSystemPromptFile: "/i.md" })).toContain("--append-system-prompt-file");
    expect(buildClaudeArgv({ config, appendSystemPromptFile: "/i.md", resumeSessionId: "s" })).not.toContain("--append-system-prompt-file");
  });

  it("passes --max-turns only when positive", () => {
    expect(buildClaudeArgv({ config: configFrom({ maxTurnsPerRun: 0 }) })).not.toContain("--max-turns");
    expect(buildClaudeArgv({ config: configFrom({ maxTurnsPerRun: 3 }) }).join(" ")).toContain("--max-turns 3");
  });
});
