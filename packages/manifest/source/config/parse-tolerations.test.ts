import { describe, expect, it } from "vitest";
import { issuesOf } from "../test-utils/config-issues.ts";
import { requireAdapterConfig } from "./parse-adapter-config.ts";

describe("tolerations", () => {
  it("read an array or a JSON string (what the UI's textarea sends)", () => {
    const tolerations = [{ key: "dedicated", operator: "Equal", value: "agents", effect: "NoSchedule" }];
    expect(requireAdapterConfig({ tolerations }).config.tolerations).toEqual(tolerations);
    expect(requireAdapterConfig({ tolerations: JSON.stringify(tolerations) }).config.tolerations).toEqual(tolerations);
    expect(requireAdapterConfig({ tolerations: [{ operator: "Exists" }] }).config.tolerations).toEqual([{ operator: "Exists" }]);
  });

  it("reject bad fields, one issue per field, with the API server's cross-field rules", () => {
    expect(issuesOf({ tolerations: [{ key: "k", operator: "Maybe" }] })[0]!.path).toBe("tolerations[0].operator");
    expect(issuesOf({ tolerations: [{ operator: "Exists", value: "v" }] })[0]!.path).toBe("tolerations[0].value");
    expect(issuesOf({ tolerations: [{ key: "k", tolerationSeconds: 5 }] })[0]!.path).toBe("tolerations[0].tolerationSeconds");
    expect(issuesOf({ tolerations: [{ value: "v" }] }).map((issue) => issue.path)).toContain("tolerations[0].operator");
    expect(issuesOf({ tolerations: [{ key: "k", colour: "red" }] })[0]!.path).toBe("tolerations[0].colour");
    expect(issuesOf({ tolerations: "not json" })[0]!.path).toBe("tolerations");
  });
});
