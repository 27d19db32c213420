import { describe, expect, it } from "vitest";
import { issuesOf } from "../test-utils/config-issues.ts";
import { requireAdapterConfig } from "./parse-adapter-config.ts";

describe("resources", () => {
  it("default to requests 1000m/2Gi/1Gi and limits 4000m/8Gi/20Gi (cpu/memory/ephemeral-storage)", () => {
    expect(requireAdapterConfig({}).config.resources).toEqual({
      requests: { cpu: "1000m", memory: "2Gi", "ephemeral-storage": "1Gi" },
      limits: { cpu: "4000m", memory: "8Gi", "ephemeral-storage": "20Gi" },
    });
  });

  it("take the default ephemeral-storage request down to a smaller limit, but refuse a given request above it", () => {
    expect(requireAdapterConfig({ "resources.limits.ephemeral-storage": "500Mi" }).config.resources).toMatchObject({
      requests: { "ephemeral-storage": "500Mi" },
      limits: { "ephemeral-storage": "500Mi" },
    });
    expect(requireAdapterConfig({ resources: { limits: { "ephemeral-storage": "50Gi" } } }).config.resources.limits["ephemeral-storage"]).toBe("50Gi");
    expect(issuesOf({ resources: { requests: { "ephemeral-storage": "2Gi" }, limits: { "ephemeral-storage": "1Gi" } } })[0]).toMatchObject({
      path: "resources.requests.ephemeral-storage",
      expected: "at most the limit (1Gi)",
    });
  });

  it("refuse a timeout past the API server's int32, naming the largest allowed value", () => {
    for (const key of ["timeoutSec", "jobDeadlineSec", "graceSec"]) {
      expect(issuesOf({ [key]: 2_147_483_648 })[0]).toMatchObject({ path: key, expected: "a whole number <= 2147483647" });
    }
    expect(issuesOf({ maxTurnsPerRun: 1e12 })[0]).toMatchObject({ path: "maxTurnsPerRun", expected: "a whole number <= 100000" });
  });

  it("read both the nested object and the dotted keys, the dotted key winning", () => {
    const { config } = requireAdapterConfig({
      resources: { limits: { memory: "16Gi" }, requests: { cpu: "2" } },
      "resources.requests.memory": "1536Mi",
      "resources.limits.cpu": 8,
    });
    expect(config.resources).toEqual({ requests: { cpu: "2", memory: "1536Mi", "ephemeral-storage": "1Gi" }, limits: { cpu: "8", memory: "16Gi", "ephemeral-storage": "20Gi" } });
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
