import { describe, expect, it } from "vitest";
import { issuesOf } from "../test-utils/config-issues.ts";
import { requireAdapterConfig } from "./parse-adapter-config.ts";

describe("resources", () => {
  it("default to requests 1000m/2Gi and limits 4000m/8Gi", () => {
    expect(requireAdapterConfig({}).config.resources).toEqual({ requests: { cpu: "1000m", memory: "2Gi" }, limits: { cpu: "4000m", memory: "8Gi" } });
  });

  it("read both the nested object and the dotted keys, the dotted key winning", () => {
    const { config } = requireAdapterConfig({
      resources: { limits: { memory: "16Gi" }, requests: { cpu: "2" } },
      "resources.requests.memory": "1536Mi",
      "resources.limits.cpu": 8,
    });
    expect(config.resources).toEqual({ requests: { cpu: "2", memory: "1536Mi" }, limits: { cpu: "8", memory: "16Gi" } });
    const both = requireAdapterConfig({ resources: { limits: { memory: "16Gi" } }, "resources.limits.memory": "12Gi" });
    expect(both.config.resources.limits.memory).toBe("12Gi");
  });

  it("reject what is not a positive quantity, unknown kinds and names, and a request above its limit", () => {
    expect(issuesOf({ "resources.limits.cpu": "lots" })[0]).toMatchObject({ path: "resources.limits.cpu", example: '"500m"' });
    expect(issuesOf({ resources: { limits: { memory: "0" } } })[0]!.path).toBe("resources.limits.memory");
    expect(issuesOf({ resources: { maximum: {} } })[0]!.path).toBe("resources.maximum");
    expect(issuesOf({ resources: { limits: { gpu: "1" } } })[0]!.path).toBe("resources.limits.gpu");
    expect(issuesOf({ resources: "big" })[0]!.path).toBe("resources");
    expect(issuesOf({ "resources.requests.memory": "16Gi" })[0]).toMatchObject({
      path: "resources.requests.memory",
      expected: "at most the limit (8Gi)",
    });
  });
});
