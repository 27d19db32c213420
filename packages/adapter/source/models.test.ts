import { describe, expect, it } from "vitest";
import { anthropicModels, bedrockModels, listModels, usesBedrock } from "./models.ts";

describe("models", () => {
  it("offers the Anthropic ids by default and the Bedrock ids when Bedrock is on", () => {
    expect(listModels({})).toEqual(anthropicModels);
    expect(listModels({ CLAUDE_CODE_USE_BEDROCK: "1" })).toEqual(bedrockModels);
    expect(listModels({ CLAUDE_CODE_USE_BEDROCK: "true" })).toEqual(bedrockModels);
    expect(listModels({ CLAUDE_CODE_USE_BEDROCK: "0" })).toEqual(anthropicModels);
  });

  it("has unique ids and a label for each", () => {
    for (const list of [anthropicModels, bedrockModels]) {
      expect(new Set(list.map((model) => model.id)).size).toBe(list.length);
      for (const model of list) expect(model.label.length).toBeGreaterThan(0);
    }
    expect(usesBedrock({ CLAUDE_CODE_USE_BEDROCK: " yes " })).toBe(true);
  });
});
