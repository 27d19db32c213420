import { describe, expect, it } from "vitest";
import { assemblePrompt } from "./prompt.ts";
import { renderTemplate } from "./template.ts";
import { runContext } from "./test-utils/fixtures.ts";

const config = { promptTemplate: "You are agent {{agent.id}} ({{agent.name}}). Continue.", bootstrapPromptTemplate: "First run of {{ agent.name }}." };

describe("assemblePrompt", () => {
  it("joins bootstrap, wake, task markdown, handoff and heartbeat, in that order", () => {
    const run = runContext({
      context: {
        wakeReason: "issue_commented",
        paperclipWake: { comments: [{ body: "Please rebase." }, "And add a test."] },
        paperclipTaskMarkdown: "# Task\nFix CI",
        paperclipSessionHandoffMarkdown: "Handoff: half done",
      },
    });
    const result = assemblePrompt({ config, run });
    expect(result.prompt).toBe(
      [
        "First run of CEO.",
        "Wake reason: issue_commented\nComment: Please rebase.\nComment: And add a test.",
        "# Task\nFix CI",
        "Handoff: half done",
        `You are agent ${run.agent.id} (CEO). Continue.`,
      ].join("\n\n"),
    );
    expect(result.resumed).toBe(false);
    expect(result.sections.map((section) => [section.name, section.chars > 0])).toEqual([
      ["bootstrap", true],
      ["wake", true],
      ["taskMarkdown", true],
      ["sessionHandoff", true],
      ["heartbeat", true],
    ]);
  });

  it("drops the bootstrap on resume, and the heartbeat too when a wake prompt carries the news", () => {
    const resumedWithWake = runContext({ runtime: { sessionId: "s-1" }, context: { wakeReason: "issue_commented" } });
    expect(assemblePrompt({ config, run: resumedWithWake }).prompt).toBe("Wake reason: issue_commented");
    const resumedQuiet = runContext({ runtime: { sessionId: "s-1" }, context: {} });
    expect(assemblePrompt({ config, run: resumedQuiet }).prompt).toBe(`You are agent ${resumedQuiet.agent.id} (CEO). Continue.`);
  });

  it("counts UTF-8 bytes separately from characters", () => {
    const result = assemblePrompt({ config: { promptTemplate: "héllo 😀", bootstrapPromptTemplate: "" }, run: runContext({ context: {} }) });
    expect(result.chars).toBe(8);
    expect(result.bytes).toBe(11);
  });
});

describe("renderTemplate", () => {
  it("fills dotted paths, empties missing ones, and writes objects as JSON", () => {
    expect(renderTemplate("{{a.b}}|{{ missing.x }}|{{obj}}|{{n}}", { a: { b: "x" }, obj: { k: 1 }, n: 0 })).toBe('x||{"k":1}|0');
  });

  it("does not reach into prototypes", () => {
    expect(renderTemplate("{{constructor.name}}", {})).toBe("");
  });
});
