import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isDns1123Label, isLabelValue } from "./k8s-formats.ts";
import { agentJobSelector, runLabels } from "./labels.ts";
import { jobNameFor, runNamesFor, toLabelValue } from "./names.ts";

const anyId = fc.string({ unit: "binary", maxLength: 300 });

describe("jobNameFor", () => {
  it("is a DNS-1123 label of at most 63 characters for any ids", () => {
    fc.assert(
      fc.property(anyId, anyId, (agentId, runId) => {
        const name = jobNameFor(agentId, runId);
        expect(isDns1123Label(name)).toBe(true);
        expect(name.length).toBeLessThanOrEqual(63);
      }),
    );
  });

  it("is deterministic and tells apart ids that slug alike", () => {
    expect(jobNameFor("Agent/1", "run")).toBe(jobNameFor("Agent/1", "run"));
    expect(jobNameFor("Agent/1", "run")).not.toBe(jobNameFor("agent-1", "run"));
    expect(jobNameFor("ab", "c")).not.toBe(jobNameFor("a", "bc"));
    expect(jobNameFor("4f9c2d1e-7a3b", "9b8a7c6d-5e4f")).toMatch(/^ac-4f9c2d1e-7a3b-9b8a7c6d-5e4f-[0-9a-f]{12}$/);
    // Long ids keep a 16-character readable prefix; the hash still covers the whole id.
    expect(jobNameFor("4f9c2d1e-7a3b-4c5d-9e8f", "r")).toMatch(/^ac-4f9c2d1e-7a3b-4c-r-[0-9a-f]{12}$/);
  });

  it("names the Secret after the Job", () => {
    expect(runNamesFor("a", "b", "ns")).toEqual({ job: jobNameFor("a", "b"), secret: `${jobNameFor("a", "b")}-run`, namespace: "ns", container: "claude" });
  });
});

describe("toLabelValue", () => {
  it("keeps valid ids as they are", () => {
    expect(toLabelValue("4f9c2d1e-7a3b-4c5d-9e8f-0a1b2c3d4e5f")).toBe("4f9c2d1e-7a3b-4c5d-9e8f-0a1b2c3d4e5f");
  });

  it("is always a valid, non-empty label value, and distinct ids stay distinct", () => {
    fc.assert(
      fc.property(anyId, anyId, (a, b) => {
        expect(isLabelValue(toLabelValue(a))).toBe(true);
        expect(toLabelValue(a)).not.toBe("");
        if (a !== b) expect(toLabelValue(a)).not.toBe(toLabelValue(b));
      }),
    );
    expect(toLabelValue("ceo/cto")).toMatch(/^ceo-cto-[0-9a-f]{10}$/);
    expect(toLabelValue("ceo/cto")).not.toBe(toLabelValue("ceo.cto-x"));
  });
});

describe("runLabels", () => {
  it("sets the identity labels over any user label of the same key", () => {
    const labels = runLabels({ agentId: "a", runId: "r", companyId: "c" }, { "paperclip.io/run-id": "forged", team: "x" });
    expect(labels["paperclip.io/run-id"]).toBe("r");
    expect(labels.team).toBe("x");
    expect(labels["paperclip.io/task-id"]).toBeUndefined();
  });

  it("gives the runtime a selector matching the labels", () => {
    expect(agentJobSelector("ceo/cto")).toBe(`paperclip.io/adapter-type=claude_k8s,paperclip.io/instance=default,paperclip.io/agent-id=${toLabelValue("ceo/cto")}`);
  });
});
