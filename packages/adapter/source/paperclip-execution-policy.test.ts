import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { executionPolicyCheck } from "./paperclip-execution-policy.ts";
import { testEnvironment } from "./test-environment.ts";

describe("executionPolicyCheck", () => {
  it("is silent when Paperclip's execution mode is unset or any", () => {
    expect(executionPolicyCheck({})).toBeUndefined();
    expect(executionPolicyCheck({ PAPERCLIP_EXECUTION_MODE: "" })).toBeUndefined();
    expect(executionPolicyCheck({ PAPERCLIP_EXECUTION_MODE: " any " })).toBeUndefined();
  });

  it("is an error with the way out when Paperclip forces runs onto its Kubernetes sandbox", () => {
    const check = executionPolicyCheck({ PAPERCLIP_EXECUTION_MODE: "kubernetes" });
    expect(check).toMatchObject({ code: "paperclip_execution_mode_kubernetes", level: "error" });
    expect(check?.hint).toContain("remove PAPERCLIP_EXECUTION_MODE");
    expect(check?.hint).toContain('PATCH /api/instance/settings/general {"executionMode":"any"}');
  });

  it("warns on any other value, never echoing more than the mode", () => {
    fc.assert(
      fc.property(
        fc.string().filter((mode) => !["", "any", "kubernetes"].includes(mode.trim())),
        (mode) => {
          expect(executionPolicyCheck({ PAPERCLIP_EXECUTION_MODE: mode })).toMatchObject({ code: "paperclip_execution_mode_unknown", level: "warn" });
        },
      ),
    );
  });
});

describe("testEnvironment and Paperclip's execution policy", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("reports the policy as an error, whatever else it finds", async () => {
    vi.stubEnv("PAPERCLIP_EXECUTION_MODE", "kubernetes");
    const result = await testEnvironment({ companyId: "c", adapterType: "claude_k8s", config: { command: "refused anyway" } } as never);
    expect(result.status).toBe("fail");
    expect(result.checks.map((check) => check.code)).toContain("paperclip_execution_mode_kubernetes");
    vi.stubEnv("PAPERCLIP_EXECUTION_MODE", "any");
    const unrestricted = await testEnvironment({ companyId: "c", adapterType: "claude_k8s", config: { command: "refused anyway" } } as never);
    expect(unrestricted.checks.map((check) => check.code)).not.toContain("paperclip_execution_mode_kubernetes");
  });
});
