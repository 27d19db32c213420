import { afterEach, describe, expect, it, vi } from "vitest";
import { execute } from "./execute.ts";
import { testEnvironment } from "./test-environment.ts";

// A bad CLAUDE_K8S_LOG_FORMAT is the operator's mistake: runs and the environment test say so, with the allowed values.
describe("an unknown server log format", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("is refused by a run as k8s_config_invalid naming text and json, before anything else", async () => {
    vi.stubEnv("CLAUDE_K8S_LOG_FORMAT", "logfmt");
    const result = await execute({ runId: "r", agent: { id: "a", companyId: "c", name: "A" }, runtime: {}, config: {}, context: {}, onLog: async () => {} } as unknown as Parameters<typeof execute>[0]);
    expect(result).toMatchObject({ errorCode: "k8s_config_invalid", errorMessage: 'CLAUDE_K8S_LOG_FORMAT must be one of text, json, not "logfmt"' });
  });

  it("fails the environment test with the fix", async () => {
    vi.stubEnv("CLAUDE_K8S_LOG_FORMAT", "yaml");
    const result = await testEnvironment({ companyId: "c", adapterType: "claude_k8s", config: { kubeconfig: "/nonexistent/kubeconfig" } });
    expect(result.status).toBe("fail");
    expect(result.checks).toContainEqual(expect.objectContaining({ code: "k8s_log_format_invalid", level: "error", hint: "set CLAUDE_K8S_LOG_FORMAT to text or json, or unset it" }));
  });
});
