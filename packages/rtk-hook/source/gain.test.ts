import { describe, expect, it } from "vitest";
import { addTranscript, describeGain, emptyGain } from "./gain.ts";

const toolResult = (content: unknown) => JSON.stringify({ type: "user", message: { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content }] } });

describe("addTranscript", () => {
  it("sums the bytes the cut markers report, for string and block contents", () => {
    const transcript = [
      JSON.stringify({ type: "assistant", message: { content: [{ type: "text", text: "[rtk-hook: cut 1 of 2 lines (999 of 999 bytes)" }] } }),
      toolResult("a\n[rtk-hook: cut 10 of 20 lines (4000 of 5000 bytes) here. Full output: /tmp/x.log]\nz"),
      toolResult([{ type: "text", text: "[rtk-hook: cut 5 of 9 lines (100 of 300 bytes) here.]" }, { type: "image", source: {} }]),
      toolResult("untouched"),
      '{"type": "user", "message": {"content": [{"type": "tool_res',
    ].join("\n");
    expect(addTranscript(emptyGain(), transcript)).toEqual({ toolResults: 3, reduced: 2, cutBytes: 4100, totalBytes: 5300 });
  });

  it("describes the sum in one line", () => {
    expect(describeGain({ toolResults: 3, reduced: 2, cutBytes: 4100, totalBytes: 5300 }, 1, 7)).toMatch(/^1 session in the last 7 days: 3 tool results, 2 cut by rtk-hook; 4\.1 KB of their 5\.3 KB cut \(77%\)/);
  });
});
