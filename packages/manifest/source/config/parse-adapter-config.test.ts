import { describe, expect, it } from "vitest";
import { ManifestErrorCode } from "../errors.ts";
import { DEFAULT_PROMPT_TEMPLATE } from "./defaults.ts";
import { parseAdapterConfig, requireAdapterConfig } from "./parse-adapter-config.ts";

function issuesOf(raw: unknown) {
  const result = parseAdapterConfig(raw);
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.config)}`);
  return result.issues;
}

describe("parseAdapterConfig defaults", () => {
  it("gives the public adapter's defaults for an empty config", () => {
    const { config, warnings } = requireAdapterConfig({});
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      maxTurnsPerRun: 0,
      dangerouslySkipPermissions: true,
      extraArgs: [],
      env: {},
      promptTemplate: DEFAULT_PROMPT_TEMPLATE,
      bootstrapPromptTemplate: "",
      enableRtk: false,
      rtkMaxOutputBytes: 50000,
      imagePullPolicy: "IfNotPresent",
      automountServiceAccountToken: false,
      labels: {},
      resources: { requests: { cpu: "1000m", memory: "2Gi" }, limits: { cpu: "4000m", memory: "8Gi" } },
      runAsUser: 1000,
      runAsGroup: 1000,
      workspaceMountPath: "/paperclip",
      inheritEnv: [],
      inheritSecretVolumes: [],
      ttlSecondsAfterFinished: 300,
      retainJobs: false,
      reattachOrphanedJobs: true,
      timeoutSec: 0,
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
});

describe("parseAdapterConfig accepts what UI forms send", () => {
  it("reads numbers and booleans given as strings", () => {
    const { config } = requireAdapterConfig({
      timeoutSec: "300",
      maxTurnsPerRun: " 50 ",
      dangerouslySkipPermissions: "false",
      retainJobs: "TRUE",
      ttlSecondsAfterFinished: "0",
    });
    expect(config).toMatchObject({ timeoutSec: 300, maxTurnsPerRun: 50, dangerouslySkipPermissions: false, retainJobs: true });
    expect(config.ttlSecondsAfterFinished).toBe(0);
  });

  it("reads labels and nodeSelector as objects, JSON strings, or key=value lines", () => {
    const fromObject = requireAdapterConfig({ labels: { team: "platform" } }).config.labels;
    const fromJson = requireAdapterConfig({ labels: '{"team": "platform"}' }).config.labels;
    const fromLines = requireAdapterConfig({ labels: "# comment\nteam = platform\n\n" }).config.labels;
    expect(fromObject).toEqual({ team: "platform" });
    expect(fromJson).toEqual(fromObject);
    expect(fromLines).toEqual(fromObject);
    expect(requireAdapterConfig({ nodeSelector: "pool=agents\nzone=a" }).config.nodeSelector).toEqual({ pool: "agents", zone: "a" });
  });

  it("keeps an explicitly empty nodeSelector (it opts out of inheriting the server's)", () => {
    expect(requireAdapterConfig({ nodeSelector: {} }).config.nodeSelector).toEqual({});
    expect(requireAdapterConfig({}).config.nodeSelector).toBeUndefined();
  });

  it("reads tolerations as an array or a JSON string", () => {
    const tolerations = [{ key: "dedicated", operator: "Equal", value: "agents", effect: "NoSchedule" }];
    expect(requireAdapterConfig({ tolerations }).config.tolerations).toEqual(tolerations);
    expect(requireAdapterConfig({ tolerations: JSON.stringify(tolerations) }).config.tolerations).toEqual(tolerations);
  });

  it("reads resources both nested and as dotted keys, the dotted key winning", () => {
    const { config } = requireAdapterConfig({
      resources: { limits: { memory: "16Gi" }, requests: { cpu: "2" } },
      "resources.requests.memory": "1536Mi",
      "resources.limits.cpu": 8,
    });
    expect(config.resources).toEqual({ requests: { cpu: "2", memory: "1536Mi" }, limits: { cpu: "8", memory: "16Gi" } });
  });

  it("accepts resolved and plain-binding env values, stringifies numbers", () => {
    const { config } = requireAdapterConfig({ env: { A: "x", B: 3, C: true, D: { type: "plain", value: "d" } } });
    expect(config.env).toEqual({ A: "x", B: "3", C: "true", D: "d" });
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

  it("rejects bad label keys and values, and requests above limits", () => {
    expect(issuesOf({ labels: { team: "has space" } })[0]!.path).toBe("labels.team");
    expect(issuesOf({ labels: { "bad key!": "x" } })[0]!.path).toContain("labels key");
    const over = issuesOf({ "resources.requests.memory": "16Gi" });
    expect(over[0]).toMatchObject({ path: "resources.requests.memory", expected: "at most the limit (8Gi)" });
    expect(issuesOf({ "resources.limits.cpu": "lots" })[0]!.path).toBe("resources.limits.cpu");
  });

  it("rejects malformed tolerations field by field", () => {
    expect(issuesOf({ tolerations: [{ key: "k", operator: "Maybe" }] })[0]!.path).toBe("tolerations[0].operator");
    expect(issuesOf({ tolerations: [{ operator: "Exists", value: "v" }] })[0]!.path).toBe("tolerations[0].value");
    expect(issuesOf({ tolerations: [{ key: "k", tolerationSeconds: 5 }] })[0]!.path).toBe("tolerations[0].tolerationSeconds");
    expect(issuesOf({ tolerations: "not json" })[0]!.path).toBe("tolerations");
  });

  it("rejects relative paths, bad env names and unresolved secret references", () => {
    expect(issuesOf({ instructionsFilePath: "AGENTS.md" })[0]!.path).toBe("instructionsFilePath");
    expect(issuesOf({ workspaceMountPath: "/etc" })[0]!.path).toBe("workspaceMountPath");
    expect(issuesOf({ workspaceMountPath: "/var/run" })[0]!.expected).toMatch(/not around \/var\/run\/claude-k8s/);
    expect(issuesOf({ workspaceMountPath: "/var/run/claude-k8s/data" })[0]!.path).toBe("workspaceMountPath");
    expect(issuesOf({ env: { "1BAD": "x" } })[0]!.path).toBe("env.1BAD");
    expect(issuesOf({ env: { TOKEN: { type: "secret_ref", secretId: "s1" } } })[0]!.expected).toMatch(/resolved value/);
    expect(issuesOf({ env: { NESTED: { a: 1 } } })[0]!.path).toBe("env.NESTED");
  });

  it("refuses uid 0 (the restricted profile requires non-root)", () => {
    expect(issuesOf({ runAsUser: 0 })[0]!.path).toBe("runAsUser");
  });

  it("rejects a config that is not an object", () => {
    expect(issuesOf("model=opus")[0]!.path).toBe("(config)");
    expect(issuesOf([1, 2])[0]!.path).toBe("(config)");
  });
});

describe("parseAdapterConfig warnings", () => {
  it("warns about unknown keys instead of failing (Paperclip adds its own)", () => {
    const result = parseAdapterConfig({ someFutureKey: 1, paperclipRuntimeSkills: [], paperclipSkillSync: {} });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual(['unknown config key "someFutureKey" is ignored']);
  });

  it("drops user labels under reserved prefixes, with a warning", () => {
    const result = parseAdapterConfig({ labels: { "paperclip.io/run-id": "forged", "app.kubernetes.io/name": "x", team: "a" } });
    expect(result.ok && result.config.labels).toEqual({ team: "a" });
    expect(result.warnings).toHaveLength(2);
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
