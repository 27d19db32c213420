import { describe, expect, it } from "vitest";
import { ExitStatus, exitStatusOf } from "./exit-status.ts";

const failed = (errorCode: string) => ({ errorCode, errorMessage: "x", exitCode: null, timedOut: false });

describe("claude-k8s run's exit status", () => {
  it("is 0 only for a success", () => {
    expect(exitStatusOf({ exitCode: 0, timedOut: false })).toBe(0);
    expect(exitStatusOf({ exitCode: 1, timedOut: false })).toBe(ExitStatus.agentFailure);
  });

  it.each([
    ["claude_auth_required", ExitStatus.agentFailure],
    ["max_turns_exhausted", ExitStatus.agentFailure],
    ["claude_transient_upstream", ExitStatus.agentFailure],
    ["adapter_failed", ExitStatus.agentFailure],
    ["k8s_image_pull_failed", ExitStatus.clusterFailure],
    ["k8s_forbidden", ExitStatus.clusterFailure],
    ["k8s_oom_killed", ExitStatus.clusterFailure],
    ["k8s_config_invalid", ExitStatus.configError],
    ["k8s_config_forbidden", ExitStatus.configError],
    ["k8s_mount_forbidden", ExitStatus.configError],
    ["k8s_secret_too_large", ExitStatus.configError],
    ["cancelled", ExitStatus.cancelled],
    ["timeout", ExitStatus.timeout],
  ])("maps %s to %i", (code, status) => {
    expect(exitStatusOf(failed(code))).toBe(status);
  });

  it("gives every class its own status, none of them the usage error's", () => {
    const statuses = Object.entries(ExitStatus).filter(([name]) => name !== "usage").map(([, status]) => status);
    expect(new Set(statuses).size).toBe(statuses.length);
    expect(statuses).not.toContain(ExitStatus.usage);
  });
});
