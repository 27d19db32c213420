import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchesPattern, parsePatternList } from "./patterns.ts";

describe("allow-list patterns", () => {
  it("splits on commas and trims", () => {
    expect(parsePatternList(" a, b-* ,,c ")).toEqual(["a", "b-*", "c"]);
    expect(parsePatternList("")).toEqual([]);
  });

  it("matches literals exactly and * as any run of characters", () => {
    expect(matchesPattern("agents", "agents")).toBe(true);
    expect(matchesPattern("agents", "agents-2")).toBe(false);
    expect(matchesPattern("team-*", "team-a")).toBe(true);
    expect(matchesPattern("team-*", "xteam-a")).toBe(false);
    expect(matchesPattern("*", "")).toBe(true);
    expect(matchesPattern("ghcr.io/*/agent:*", "ghcr.io/acme/agent:1")).toBe(true);
    expect(matchesPattern("a*a", "a")).toBe(false);
    expect(matchesPattern("/etc/*.yaml", "/etc/x.yaml")).toBe(true);
  });

  it("agrees with a regular expression built from the glob (property)", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", "-", "*"), maxLength: 8 });
    fc.assert(
      fc.property(text, fc.string({ unit: fc.constantFrom("a", "b", "-"), maxLength: 10 }), (pattern, value) => {
        const regex = new RegExp(`^${pattern.split("*").map((part) => part.replace(/[-]/g, "\\-")).join(".*")}$`);
        expect(matchesPattern(pattern, value)).toBe(regex.test(value));
      }),
      { numRuns: 3000 },
    );
  });
});
