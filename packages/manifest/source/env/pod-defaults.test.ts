import { describe, expect, it } from "vitest";
import { buildRunManifests } from "../build-run-manifests.ts";
import { buildInput } from "../test-utils/fixtures.ts";
import { envOf, resolvedEnv } from "../test-utils/inspect.ts";

describe("the agent container's default env", () => {
  it("asks Claude Code for structured start-up failures, as a literal in the pod spec", () => {
    const manifests = buildRunManifests(buildInput());
    expect(resolvedEnv(manifests).CLAUDE_CODE_STARTUP_FAILURE_RESULTS).toBe("1");
    // A setting, not a credential: no detour through the per-run Secret.
    expect(envOf(manifests).get("CLAUDE_CODE_STARTUP_FAILURE_RESULTS")).toEqual({ name: "CLAUDE_CODE_STARTUP_FAILURE_RESULTS", value: "1" });
  });

  it("is a default that config.env may replace", () => {
    const manifests = buildRunManifests(buildInput({}, { env: { CLAUDE_CODE_STARTUP_FAILURE_RESULTS: "0" } }));
    expect(resolvedEnv(manifests).CLAUDE_CODE_STARTUP_FAILURE_RESULTS).toBe("0");
  });
});
