import { describe, expect, it } from "vitest";
import { ManifestErrorCode } from "../errors.ts";
import { issuesOf } from "../test-utils/config-issues.ts";
import { DEFAULT_PROMPT_TEMPLATE } from "./defaults.ts";
import { parseAdapterConfig, requireAdapterConfig } from "./parse-adapter-config.ts";

describe("parseAdapterConfig defaults", () => {
  it("gives the public adapter's defaults for an empty config", () => {
    const { config, warnings } = requireAdapterConfig({});
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      agentVolumeSize: "10Gi",
      maxTurnsPerRun: 0,
      dangerouslySkipPermissions: true,
      extraArgs: [],
      env: {},
      envFromSecrets: [],
      envSecretKeyRefs: {},
      promptTemplate: DEFAULT_PROMPT_TEMPLATE,
      bootstrapPromptTemplate: "",
      enableRtk: false,
      rtkMaxOutputBytes: 50000,
      imagePullPolicy: "IfNotPresent",
      automountServiceAccountToken: false,
      labels: {},
      podAnnotations: {},
      resources: { requests: { cpu: "1000m", memory: "2Gi", "ephemeral-storage": "1Gi" }, limits: { cpu: "4000m", memory: "8Gi", "ephemeral-storage": "20Gi" } },
      runAsUser: 1000,
      runAsGroup: 1000,
      workspaceMountPath: "/paperclip",
      inheritEnv: [],
      inheritSecretVolumes: [],
      ttlSecondsAfterFinished: 300,
      retainJobs: false,
      reattachOrphanedJobs: true,
      timeoutSec: 0,
      jobDeadlineSec: 21_600,
      graceSec: 60,
      podScheduleTimeoutSec: 120,
      podStartTimeoutSec: 600,
      secretRef: "paperclip-secrets",
    });
  });

  it("treats null and undefined as an empty config", () => {
    expect(parseAdapterConfig(null).ok).toBe(true);
    expect(parseAdapterConfig(undefined).ok).toBe(true);
  });

  it("treats cleared UI fields (empty strings, null) as unset", () => {
    const { config } = requireAdapterConfig({ timeoutSec: "", model: "", namespace: null, graceSec: "  " });
    expect(config.timeoutSec).toBe(0);
    expect(config.graceSec).toBe(60);
    expect(config.model).toBeUndefined();
    expect(config.namespace).toBeUndefined();
  });

  it("reads numbers and booleans given as strings", () => {
    const { config } = requireAdapterConfig({
      timeoutSec: "300",
      maxTurnsPerRun: " 50 ",
      dangerouslySkipPermissions: "false",
      retainJobs: "TRUE",
      ttlSecondsAfterFinished: "120",
    });
    expect(config).toMatchObject({ timeoutSec: 300, maxTurnsPerRun: 50, dangerouslySkipPermissions: false, retainJobs: true });
    expect(config.ttlSecondsAfterFinished).toBe(120);
  });
});

describe("parseAdapterConfig rejects wrong input with a precise issue", () => {
  it("never turns a wrong type into the default", () => {
    const issues = issuesOf({ timeoutSec: "soon", dangerouslySkipPermissions: "yes please", extraArgs: "--verbose" });
    expect(issues.map((issue) => issue.path).sort()).toEqual(["dangerouslySkipPermissions", "extraArgs", "timeoutSec"]);
    const timeout = issues.find((issue) => issue.path === "timeoutSec")!;
    expect(timeout.expected).toMatch(/whole number/);
    expect(timeout.received).toBe('the string "soon"');
    expect(timeout.example).toBe("3600");
  });

  it("reports every problem at once, with an error the adapter can map", () => {
    const result = parseAdapterConfig({ namespace: "Not_A_Namespace", graceSec: -1, imagePullPolicy: "Sometimes" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(ManifestErrorCode.configInvalid);
    expect(result.error.code).toBe("k8s_config_invalid");
    expect(result.issues).toHaveLength(3);
    expect(result.error.message).toContain("namespace: expected a DNS-1123 label");
    expect(result.error.message).toContain('got the string "Not_A_Namespace"');
    expect(() => requireAdapterConfig({ graceSec: -1 })).toThrow(/graceSec: expected a whole number >= 0/);
  });

  it("refuses a `command` key, which Paperclip's fallback adapter would run on the host", () => {
    const issues = issuesOf({ command: "rm -rf /" });
    expect(issues[0]!.path).toBe("command");
    expect(issues[0]!.expected).toMatch(/fallback adapter would run it on the server host/);
  });

  it("rejects relative paths and mount paths that would hide system or run directories", () => {
    expect(issuesOf({ instructionsFilePath: "AGENTS.md" })[0]!.path).toBe("instructionsFilePath");
    expect(issuesOf({ cwd: "workspace" })[0]!.path).toBe("cwd");
    expect(issuesOf({ workspaceMountPath: "/etc" })[0]!.path).toBe("workspaceMountPath");
    expect(issuesOf({ workspaceMountPath: "/var/run" })[0]!.expected).toMatch(/not around \/var\/run\/claude-k8s/);
    expect(issuesOf({ workspaceMountPath: "/var/run/claude-k8s/data" })[0]!.path).toBe("workspaceMountPath");
    expect(requireAdapterConfig({ serverMountPath: "/" }).config.serverMountPath).toBe("/");
  });

  it("rejects a model or effort with spaces, and NUL in extraArgs", () => {
    expect(issuesOf({ model: "claude sonnet" })[0]!.path).toBe("model");
    expect(issuesOf({ effort: "very high" })[0]!.path).toBe("effort");
    expect(issuesOf({ extraArgs: ["ok", "a\0b"] })[0]!.path).toBe("extraArgs[1]");
  });

  it("rejects a config that is not an object", () => {
    expect(issuesOf("model=opus")[0]!.path).toBe("(config)");
    expect(issuesOf([1, 2])[0]!.path).toBe("(config)");
  });
});

describe("parseAdapterConfig warnings", () => {
  it("warns about unknown keys instead of failing (Paperclip adds its own)", () => {
    // paperclip<Name> keys are the server's own (2026.916.1 adds paperclipConnectorSkillDigest too).
    const result = parseAdapterConfig({ someFutureKey: 1, paperclipRuntimeSkills: [], paperclipSkillSync: {}, paperclipConnectorSkillDigest: "sha256:x", paperclip: 1 });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual(['unknown config key "someFutureKey" is ignored', 'unknown config key "paperclip" is ignored']);
  });

  it("warns about settings that work but bite: a near-zero TTL, a token for the default ServiceAccount", () => {
    expect(parseAdapterConfig({ ttlSecondsAfterFinished: 0 }).warnings[0]).toMatch(/may not see its final status/);
    expect(parseAdapterConfig({ automountServiceAccountToken: true }).warnings[0]).toMatch(/default ServiceAccount token/);
    expect(parseAdapterConfig({ automountServiceAccountToken: true, serviceAccountName: "agent" }).warnings).toEqual([]);
  });

  it("warns when extraArgs repeat a flag the adapter owns", () => {
    const result = parseAdapterConfig({ extraArgs: ["--output-format=text"] });
    expect(result.warnings[0]).toMatch(/--output-format/);
  });
});
