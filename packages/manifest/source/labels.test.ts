import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { agentJobSelector, DEFAULT_INSTANCE_ID, LabelKey, managedSelector, runLabels } from "./labels.ts";
import { toLabelValue } from "./names.ts";
import { secretLabels } from "./secret.ts";

// A selector matches a label set when every key=value term is in it (all our selectors are equality terms).
const matches = (selector: string, labels: Record<string, string>) => selector.split(",").every((term) => labels[term.split("=")[0]!] === term.split("=")[1]);

describe("the instance label", () => {
  it("marks every Job and Secret with its instance, and each instance's selectors match only its own (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), fc.string({ minLength: 1, maxLength: 80 }), (mine, theirs) => {
        fc.pre(toLabelValue(mine) !== toLabelValue(theirs));
        const labels = runLabels({ agentId: "agent-1", runId: "run-1", companyId: "c", instanceId: mine });
        expect(labels[LabelKey.instance]).toBe(toLabelValue(mine));
        for (const set of [labels, secretLabels(labels)]) {
          expect(matches(managedSelector(mine), set)).toBe(true);
          expect(matches(managedSelector(theirs), set)).toBe(false);
        }
        expect(matches(agentJobSelector("agent-1", mine), labels)).toBe(true);
        expect(matches(agentJobSelector("agent-1", theirs), labels)).toBe(false);
      }),
    );
  });

  it("is the default instance when none is given", () => {
    const labels = runLabels({ agentId: "a", runId: "r", companyId: "c" });
    expect(labels[LabelKey.instance]).toBe(DEFAULT_INSTANCE_ID);
    expect(matches(managedSelector(), labels)).toBe(true);
    expect(matches(agentJobSelector("a"), labels)).toBe(true);
  });
});
