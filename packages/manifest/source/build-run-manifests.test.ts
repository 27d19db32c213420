import { Job } from "kubernetes-models/batch/v1/Job";
import { Secret } from "kubernetes-models/v1/Secret";
import { describe, expect, it } from "vitest";
import { buildRunManifests } from "./build-run-manifests.ts";
import { ManifestErrorCode } from "./errors.ts";
import { RUN_FILES_DIR, SKILLS_DIR } from "./run-files.ts";
import { AGENT_ID, AUTH_TOKEN, buildInput, configFrom, runContext, selfPod } from "./test-utils/fixtures.ts";
import { container, decodeSecret, envOf, resolvedEnv } from "./test-utils/inspect.ts";

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe("buildRunManifests: the Job", () => {
  it("passes the offline schema checks of Job and Secret", () => {
    const manifests = buildRunManifests(buildInput());
    expect(() => new Job(manifests.job as never).validate()).not.toThrow();
    for (const secret of manifests.secrets) expect(() => new Secret(secret as never).validate()).not.toThrow();
  });

  it("runs once, never restarts, and has no Kubernetes credentials by default", () => {
    const { job } = buildRunManifests(buildInput({}, { timeoutSec: 900, ttlSecondsAfterFinished: 60 }));
    expect(job.spec.backoffLimit).toBe(0);
    expect(job.spec.activeDeadlineSeconds).toBe(900);
    expect(job.spec.ttlSecondsAfterFinished).toBe(60);
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
  });

  it("is bounded by the 6 h backstop when timeoutSec is 0 (jobDeadlineSec 0 lifts it), and mounts a token only when asked", () => {
    const { job } = buildRunManifests(buildInput({}, { automountServiceAccountToken: true, serviceAccountName: "agent" }));
    expect(job.spec.activeDeadlineSeconds).toBe(21_600);
    expect(buildRunManifests(buildInput({}, { jobDeadlineSec: 7200 })).job.spec.activeDeadlineSeconds).toBe(7200);
    expect(buildRunManifests(buildInput({}, { jobDeadlineSec: 0 })).job.spec.activeDeadlineSeconds).toBeUndefined();
    // A timeout decides when there is one.
    expect(buildRunManifests(buildInput({}, { timeoutSec: 600, jobDeadlineSec: 7200 })).job.spec.activeDeadlineSeconds).toBe(600);
    expect(job.spec.template.spec.automountServiceAccountToken).toBe(true);
    expect(job.spec.template.spec.serviceAccountName).toBe("agent");
  });

  it("meets the restricted Pod Security profile, with no fsGroup unless configured", () => {
    const manifests = buildRunManifests(buildInput());
    const pod = manifests.job.spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } });
    expect(container(manifests).securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      runAsNonRoot: true,
    });
    const withGroup = buildRunManifests(buildInput({}, { fsGroup: 2000 })).job.spec.template.spec.securityContext;
    expect(withGroup).toMatchObject({ fsGroup: 2000, fsGroupChangePolicy: "OnRootMismatch" });
  });

  it("takes image, namespace, claim and pull secrets from the server pod unless configured", () => {
    const inherited = buildRunManifests(buildInput());
    expect(inherited.job.metadata.namespace).toBe("paperclip");
    expect(container(inherited).image).toBe("ghcr.io/acme/paperclip:2026.916.1");
    expect(inherited.job.spec.template.spec.imagePullSecrets).toEqual([{ name: "regcred" }]);
    expect(inherited.job.spec.template.spec.volumes).toContainEqual({ name: "data", persistentVolumeClaim: { claimName: "paperclip-data" } });

    const configured = buildRunManifests(buildInput({}, { namespace: "agents", image: "agent:2", imagePullSecrets: [] }));
    expect(configured.job.metadata.namespace).toBe("agents");
    expect(configured.secrets[0]!.metadata.namespace).toBe("agents");
    expect(container(configured).image).toBe("agent:2");
    expect(configured.job.spec.template.spec.imagePullSecrets).toBeUndefined();
  });

  it("inherits nodeSelector and tolerations unless the config has the key (even empty)", () => {
    const pod = selfPod({ nodeSelector: { pool: "paperclip" }, tolerations: [{ key: "dedicated", operator: "Exists" }] });
    const inherited = buildRunManifests(buildInput({ selfPod: pod })).job.spec.template.spec;
    expect(inherited.nodeSelector).toEqual({ pool: "paperclip" });
    expect(inherited.tolerations).toEqual([{ key: "dedicated", operator: "Exists" }]);
    const optedOut = buildRunManifests(buildInput({ selfPod: pod }, { nodeSelector: {}, tolerations: [] })).job.spec.template.spec;
    expect(optedOut.nodeSelector).toBeUndefined();
    expect(optedOut.tolerations).toBeUndefined();
  });

  it("says what is missing when there is no server pod to default namespace and image from", () => {
    let message = "";
    try {
      buildRunManifests(buildInput({ selfPod: undefined }));
    } catch (error) {
      message = (error as Error).message;
      expect((error as { code: string }).code).toBe(ManifestErrorCode.configInvalid);
    }
    expect(message).toContain("namespace: expected the namespace for agent Jobs");
    expect(message).toContain("image: expected the agent image");
  });

  it("adds pod annotations and a priority class, the adapter's own annotations winning", () => {
    const { job } = buildRunManifests(buildInput({}, { podAnnotations: { "sidecar.istio.io/inject": "false" }, priorityClassName: "agents" }));
    expect(job.spec.template.metadata.annotations["sidecar.istio.io/inject"]).toBe("false");
    expect(job.metadata.annotations["sidecar.istio.io/inject"]).toBeUndefined();
    expect(job.spec.template.metadata.annotations["paperclip.io/run-id"]).toBe("9b8a7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d");
    expect(job.spec.template.spec.priorityClassName).toBe("agents");
  });

  it("sets the labels the runtime selects by, and user labels", () => {
    const { job } = buildRunManifests(buildInput({}, { labels: { team: "platform" } }));
    expect(job.metadata.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "paperclip",
      "paperclip.io/adapter-type": "claude_k8s",
      "paperclip.io/agent-id": "4f9c2d1e-7a3b-4c5d-9e8f-0a1b2c3d4e5f",
      "paperclip.io/run-id": "9b8a7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d",
      "paperclip.io/task-id": "issue-1",
      team: "platform",
    });
    expect(job.spec.template.metadata.labels).toEqual(job.metadata.labels);
    expect(job.metadata.annotations["paperclip.io/agent-name"]).toBe("CEO");
  });
});

describe("buildRunManifests: the prompt and credentials", () => {
  it("puts the prompt in the Secret, mounted as a file, and nowhere in the Job", () => {
    const run = runContext({ context: { wakeReason: "issue_assigned", paperclipTaskMarkdown: "Fix the flaky test in ci/run" } });
    const manifests = buildRunManifests(buildInput({ run }));
    const files = decodeSecret(manifests.secrets[0]!);
    expect(files["prompt.txt"]).toContain("Fix the flaky test in ci/run");
    expect(JSON.stringify(manifests.job)).not.toContain("Fix the flaky test");
    expect(container(manifests).volumeMounts).toContainEqual({ name: "run", mountPath: RUN_FILES_DIR, readOnly: true });
    expect(container(manifests).command[2]).toContain(`${RUN_FILES_DIR}/prompt.txt`);
  });

  it("gives the pod its auth token and credentials only by secretKeyRef", () => {
    const manifests = buildRunManifests(buildInput());
    const jobText = JSON.stringify(manifests.job);
    for (const literal of [AUTH_TOKEN, "sk-ant-server-key", "https://proxy.internal"]) expect(jobText).not.toContain(literal);
    expect(envOf(manifests).get("PAPERCLIP_API_KEY")).toEqual({
      name: "PAPERCLIP_API_KEY",
      valueFrom: { secretKeyRef: { name: manifests.names.secret, key: "env.PAPERCLIP_API_KEY" } },
    });
    expect(resolvedEnv(manifests)).toMatchObject({ PAPERCLIP_API_KEY: AUTH_TOKEN, ANTHROPIC_API_KEY: "sk-ant-server-key" });
  });

  it("never inherits server-only secrets or unlisted variables", () => {
    const env = envOf(buildRunManifests(buildInput()));
    expect(env.has("DATABASE_URL")).toBe(false);
    expect(env.has("PAPERCLIP_AGENT_JWT_SECRET")).toBe(false);
    expect(env.has("NODE_ENV")).toBe(false);
    // The server's own cloud credentials (its storage) are not the model's: not inherited.
    expect(env.has("AWS_SECRET_ACCESS_KEY")).toBe(false);
    expect(env.get("CLAUDE_CODE_OAUTH_TOKEN")).toEqual({
      name: "CLAUDE_CODE_OAUTH_TOKEN",
      valueFrom: { secretKeyRef: { name: "claude", key: "token" } },
    });
    expect(env.get("PAPERCLIP_API_URL")).toEqual({ name: "PAPERCLIP_API_URL", value: "http://paperclip.paperclip.svc:3100" });
  });

  it("skips inherited Secret references when the Job runs in another namespace", () => {
    const manifests = buildRunManifests(buildInput({}, { namespace: "agents" }));
    expect(envOf(manifests).has("CLAUDE_CODE_OAUTH_TOKEN")).toBe(false);
    expect(manifests.warnings.join("\n")).toMatch(/CLAUDE_CODE_OAUTH_TOKEN was skipped/);
  });

  it("lets config.env win, drops host-only keys, and protects the run's identity", () => {
    const manifests = buildRunManifests(
      buildInput({}, { env: { PAPERCLIP_API_URL: "http://override:3100", TMPDIR: "/var/folders/x", TMP: "/var/folders/x", PAPERCLIP_RUN_ID: "forged", HOME: "/home/agent" } }),
    );
    const env = resolvedEnv(manifests);
    expect(env.PAPERCLIP_API_URL).toBe("http://override:3100");
    expect(env.TMPDIR).toBeUndefined();
    expect(env.TMP).toBeUndefined();
    expect(env.PAPERCLIP_RUN_ID).toBe("9b8a7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d");
    expect(env.HOME).toBe("/home/agent");
    // One line for all of them: the server adds about ten to every run.
    expect(manifests.warnings.filter((warning) => warning.includes("not passed to the pod"))).toEqual([
      "env TMPDIR, TMP not passed to the pod: Paperclip sets them for the server's own host (its paths and settings)",
    ]);
    expect(manifests.warnings.join("\n")).toMatch(/env.PAPERCLIP_RUN_ID was ignored/);
  });

  it("sets the run-context variables the public adapter set", () => {
    const run = runContext({
      context: {
        taskId: "task-7",
        wakeReason: "issue_comment_mentioned",
        wakeCommentId: "comment-3",
        approvalId: "ap-1",
        approvalStatus: "approved",
        issueIds: ["i-1", "i-2"],
        paperclipWake: { reason: "x" },
        paperclipWorkspace: { cwd: "/paperclip/ws/ceo", source: "project", workspaceId: "w-1", repoUrl: "https://git/x", repoRef: "main" },
      },
    });
    const env = resolvedEnv(buildRunManifests(buildInput({ run })));
    expect(env).toMatchObject({
      HOME: `/paperclip/.claude-k8s/homes/${AGENT_ID}`,
      PAPERCLIP_AGENT_ID: "4f9c2d1e-7a3b-4c5d-9e8f-0a1b2c3d4e5f",
      PAPERCLIP_COMPANY_ID: "c0ffee00-1111-2222-3333-444455556666",
      PAPERCLIP_TASK_ID: "task-7",
      PAPERCLIP_WAKE_REASON: "issue_comment_mentioned",
      PAPERCLIP_WAKE_COMMENT_ID: "comment-3",
      PAPERCLIP_APPROVAL_ID: "ap-1",
      PAPERCLIP_APPROVAL_STATUS: "approved",
      PAPERCLIP_LINKED_ISSUE_IDS: "i-1,i-2",
      PAPERCLIP_WAKE_PAYLOAD_JSON: '{"reason":"x"}',
      PAPERCLIP_WORKSPACE_CWD: "/paperclip/ws/ceo",
      PAPERCLIP_WORKSPACE_SOURCE: "project",
      PAPERCLIP_WORKSPACE_ID: "w-1",
      PAPERCLIP_WORKSPACE_REPO_URL: "https://git/x",
      PAPERCLIP_WORKSPACE_REPO_REF: "main",
    });
  });

  it("sheds an oversized wake payload instead of failing exec with E2BIG", () => {
    const run = runContext({ context: { paperclipWake: { body: "x".repeat(200_000) } } });
    const manifests = buildRunManifests(buildInput({ run }));
    const env = resolvedEnv(manifests);
    expect(env.PAPERCLIP_WAKE_PAYLOAD_JSON).toBeUndefined();
    expect(JSON.parse(env.PAPERCLIP_ENV_SHED_JSON!)).toEqual({ PAPERCLIP_WAKE_PAYLOAD_JSON: 200_011 });
  });

  it("refuses a config env value over 128 KiB, naming it", () => {
    const input = buildInput({}, { env: { BIG: "y".repeat(131_072) } });
    expect(codeOf(() => buildRunManifests(input))).toBe(ManifestErrorCode.envTooLarge);
    expect(() => buildRunManifests(input)).toThrow(/config env.BIG is 131072 bytes/);
  });

  it("refuses a Secret over 1 MiB before anything is created", () => {
    const run = runContext({ context: { paperclipTaskMarkdown: "z".repeat(1024 * 1024) } });
    expect(codeOf(() => buildRunManifests(buildInput({ run })))).toBe(ManifestErrorCode.secretTooLarge);
    expect(() => buildRunManifests(buildInput({ run }))).toThrow(/largest entries: prompt.txt/);
  });
});

describe("buildRunManifests: claude's arguments", () => {
  it("builds the public adapter's flags, extraArgs last", () => {
    const manifests = buildRunManifests(buildInput({}, { model: "claude-sonnet-4-6", effort: "high", maxTurnsPerRun: 40, extraArgs: ["--foo"] }));
    expect(manifests.claudeArgv).toEqual([
      "claude",
      "--print",
      "--output-format",
      "stream-json",
      "--verbose",
      "--dangerously-skip-permissions",
      "--model",
      "claude-sonnet-4-6",
      "--effort",
      "high",
      "--max-turns",
      "40",
      "--foo",
    ]);
    expect(container(manifests).args).toEqual(manifests.claudeArgv);
  });

  it("resumes the session and leaves out the instructions file when resuming", () => {
    const fresh = buildRunManifests(buildInput({}, { instructionsFilePath: "/paperclip/agents/ceo/AGENTS.md" }));
    expect(fresh.claudeArgv).toContain("--append-system-prompt-file");
    const run = runContext({ runtime: { sessionParams: { sessionId: "5e55a0b1-0000-4000-8000-000000000001" } } });
    const resumed = buildRunManifests(buildInput({ run }, { instructionsFilePath: "/paperclip/agents/ceo/AGENTS.md" }));
    expect(resumed.claudeArgv.slice(5, 7)).toEqual(["--resume", "5e55a0b1-0000-4000-8000-000000000001"]);
    expect(resumed.claudeArgv).not.toContain("--append-system-prompt-file");
    expect(resumed.job.metadata.labels["paperclip.io/session-id"]).toBe("5e55a0b1-0000-4000-8000-000000000001");
  });

  it("ships instruction text in the Secret with a note on where relative references resolve", () => {
    const manifests = buildRunManifests(
      buildInput(
        { instructions: { text: "Read ./SOUL.md.\n" }, run: runContext({ context: { paperclipWorkspace: { cwd: "/srv/data/ws" } } }) },
        { instructionsFilePath: "/srv/data/agents/ceo/AGENTS.md", serverMountPath: "/srv/data" },
      ),
    );
    const files = decodeSecret(manifests.secrets[0]!);
    expect(files["agent-instructions.md"]).toBe(
      "Read ./SOUL.md.\n\nThe above agent instructions were loaded from /paperclip/agents/ceo/AGENTS.md. Resolve any relative file references from /paperclip/agents/ceo/.\n",
    );
    expect(manifests.claudeArgv).toContain(`${RUN_FILES_DIR}/agent-instructions.md`);
  });

  it("ships the MCP config in the Secret, with --strict-mcp-config", () => {
    const manifests = buildRunManifests(buildInput({}, { mcpServers: { github: { type: "http", url: "https://mcp", headers: { Authorization: "Bearer ghp_x" } } } }));
    expect(manifests.claudeArgv).toContain("--strict-mcp-config");
    expect(manifests.claudeArgv[manifests.claudeArgv.indexOf("--mcp-config") + 1]).toBe(`${RUN_FILES_DIR}/mcp.json`);
    expect(JSON.parse(decodeSecret(manifests.secrets[0]!)["mcp.json"]!).mcpServers.github.url).toBe("https://mcp");
    expect(JSON.stringify(manifests.job)).not.toContain("ghp_x");
  });

  it("wires enableRtk per run through --settings and a hook program that travels in the Secret", () => {
    const manifests = buildRunManifests(buildInput({ rtkHook: { program: "console.log('hook')\n" } }, { enableRtk: true, rtkMaxOutputBytes: 20000 }));
    const files = decodeSecret(manifests.secrets[0]!);
    expect(files["claude-rtk-hook.mjs"]).toBe("console.log('hook')\n");
    // PreToolUse for Bash (the rewrite that reaches failing commands) and PostToolUse for every tool.
    const hook = { type: "command", command: `node ${RUN_FILES_DIR}/claude-rtk-hook.mjs --max-bytes 20000` };
    expect(JSON.parse(files["settings.json"]!)).toEqual({
      hooks: { PreToolUse: [{ matcher: "Bash", hooks: [hook] }], PostToolUse: [{ matcher: "*", hooks: [hook] }] },
    });
    expect(manifests.claudeArgv.slice(-2)).toEqual(["--settings", `${RUN_FILES_DIR}/settings.json`]);
    const items = manifests.job.spec.template.spec.volumes.find((volume) => volume.name === "run");
    expect(items).toMatchObject({ secret: { items: expect.arrayContaining([{ key: "settings.json", path: "settings.json" }]) } });
  });

  it("ships a CommonJS hook program as .cjs and runs that file from both hooks", () => {
    const manifests = buildRunManifests(buildInput({ rtkHook: { program: "module.exports = 1;\n", format: "commonjs" } }, { enableRtk: true, rtkMaxOutputBytes: 5000 }));
    const files = decodeSecret(manifests.secrets[0]!);
    expect(files["claude-rtk-hook.cjs"]).toBe("module.exports = 1;\n");
    expect(files).not.toHaveProperty("claude-rtk-hook.mjs");
    const settings = JSON.parse(files["settings.json"]!);
    for (const event of ["PreToolUse", "PostToolUse"]) {
      expect(settings.hooks[event][0].hooks[0].command).toBe(`node ${RUN_FILES_DIR}/claude-rtk-hook.cjs --max-bytes 5000`);
    }
  });

  it("refuses enableRtk without a hook program", () => {
    expect(codeOf(() => buildRunManifests(buildInput({}, { enableRtk: true })))).toBe(ManifestErrorCode.runContextInvalid);
  });
});

describe("buildRunManifests: paths from the server", () => {
  it("translates the workspace cwd from the server's mount to the pod's", () => {
    const run = runContext({ context: { paperclipWorkspace: { cwd: `/srv/paperclip/instances/default/workspaces/${AGENT_ID}` } } });
    const pod = selfPod({ dataMountPath: "/srv/paperclip" });
    const manifests = buildRunManifests(buildInput({ run, selfPod: pod }));
    expect(manifests.workingDir).toBe(`/paperclip/instances/default/workspaces/${AGENT_ID}`);
    expect(container(manifests).workingDir).toBe(manifests.workingDir);
    expect(resolvedEnv(manifests).PAPERCLIP_WORKSPACE_CWD).toBe(manifests.workingDir);
  });

  it("refuses a workspace outside the shared volume, saying how to fix it", () => {
    const run = runContext({ context: { paperclipWorkspace: { cwd: "/home/paperclip/ws" } } });
    expect(codeOf(() => buildRunManifests(buildInput({ run })))).toBe(ManifestErrorCode.pathOutsideVolume);
    expect(() => buildRunManifests(buildInput({ run }))).toThrow(/lies outside the shared volume, which the server mounts at \/paperclip/);
  });

  it("falls back to config.cwd, then to the agent's own HOME", () => {
    const noWorkspace = runContext({ context: {} });
    expect(buildRunManifests(buildInput({ run: noWorkspace }, { cwd: "/paperclip/projects/x" })).workingDir).toBe("/paperclip/projects/x");
    expect(buildRunManifests(buildInput({ run: noWorkspace })).workingDir).toBe(`/paperclip/.claude-k8s/homes/${AGENT_ID}`);
  });

  it("mounts only the run's workspace and the agent's own HOME from the shared volume, never its root", () => {
    const manifests = buildRunManifests(buildInput());
    const dataMounts = container(manifests).volumeMounts.filter((mount) => mount.name === "data");
    expect(dataMounts).toEqual([
      { name: "data", mountPath: `/paperclip/.claude-k8s/homes/${AGENT_ID}`, subPath: `.claude-k8s/homes/${AGENT_ID}` },
      { name: "data", mountPath: `/paperclip/instances/default/workspaces/${AGENT_ID}`, subPath: `instances/default/workspaces/${AGENT_ID}` },
    ]);
    expect(resolvedEnv(manifests).HOME).toBe(`/paperclip/.claude-k8s/homes/${AGENT_ID}`);
  });

  it.each([
    ["the volume's root", "/paperclip", /the volume's root/],
    ["an instance directory", "/paperclip/instances/default", /instance directory/],
    ["the instance secrets", "/paperclip/instances/default/secrets", /instance secrets/],
    ["the embedded database", "/paperclip/instances/default/db", /instance db/],
    ["another agent's workspace", "/paperclip/instances/default/workspaces/someone-else", /another agent's workspace/],
    ["every agent's workspace", "/paperclip/instances/default/workspaces", /every agent's workspace/],
    ["another company's projects", "/paperclip/instances/default/projects/other-co/p1/repo", /another company's projects/],
    ["every agent's HOME", "/paperclip/.claude-k8s/homes", /every agent's HOME/],
    ["another agent's HOME", "/paperclip/.claude-k8s/homes/someone-else/work", /another agent's HOME/],
  ])("refuses a workspace that would expose %s, naming the path and the fix", (_, cwd, why) => {
    const run = runContext({ context: { paperclipWorkspace: { cwd } } });
    expect(codeOf(() => buildRunManifests(buildInput({ run })))).toBe(ManifestErrorCode.mountForbidden);
    expect(() => buildRunManifests(buildInput({ run }))).toThrow(why);
    expect(() => buildRunManifests(buildInput({ run }))).toThrow(cwd);
    // config.cwd (which agent config sets) is held to the same rule.
    expect(codeOf(() => buildRunManifests(buildInput({ run: runContext({ context: {} }) }, { cwd })))).toBe(ManifestErrorCode.mountForbidden);
  });

  it("accepts the company's own project workspace and a workspace inside the agent's HOME (mounted once)", () => {
    const project = runContext({ context: { paperclipWorkspace: { cwd: "/paperclip/instances/default/projects/c0ffee00-1111-2222-3333-444455556666/p1/repo" } } });
    expect(buildRunManifests(buildInput({ run: project })).workingDir).toBe("/paperclip/instances/default/projects/c0ffee00-1111-2222-3333-444455556666/p1/repo");
    const inHome = runContext({ context: { paperclipWorkspace: { cwd: `/paperclip/.claude-k8s/homes/${AGENT_ID}/work` } } });
    const manifests = buildRunManifests(buildInput({ run: inHome }));
    expect(container(manifests).volumeMounts.filter((mount) => mount.name === "data")).toHaveLength(1);
    expect(manifests.workingDir).toBe(`/paperclip/.claude-k8s/homes/${AGENT_ID}/work`);
  });

  it("refuses a skill whose source would expose the server's secrets", () => {
    expect(codeOf(() => buildRunManifests(buildInput({ skills: [{ runtimeName: "x", sourcePath: "/paperclip/instances/default/secrets" }] })))).toBe(
      ManifestErrorCode.mountForbidden,
    );
  });

  it("mounts skills read-only from the shared volume and adds their directory", () => {
    const manifests = buildRunManifests(
      buildInput({ skills: [{ runtimeName: "paperclip", sourcePath: "/paperclip/skills/paperclip" }] }),
    );
    expect(container(manifests).volumeMounts).toContainEqual({
      name: "data",
      mountPath: `${SKILLS_DIR}/.claude/skills/paperclip`,
      readOnly: true,
      subPath: "skills/paperclip",
    });
    expect(manifests.claudeArgv[manifests.claudeArgv.indexOf("--add-dir") + 1]).toBe(SKILLS_DIR);
    const outside = buildInput({ skills: [{ runtimeName: "x", sourcePath: "/app/skills/x" }] });
    expect(codeOf(() => buildRunManifests(outside))).toBe(ManifestErrorCode.pathOutsideVolume);
  });
});

describe("buildRunManifests: inherited Secret volumes", () => {
  const secretVolumes = [
    { secretName: "github-token", mountPath: "/var/run/github", items: [{ key: "token", path: "token" }], optional: false },
    { secretName: "github-token", mountPath: "/var/run/github/nested" },
    { secretName: "other", mountPath: "/var/run/other" },
  ];

  it("inherits only the named ones, keeping items and optional, and never two on one path", () => {
    const manifests = buildRunManifests(buildInput({ selfPod: selfPod({ secretVolumes }) }, { inheritSecretVolumes: ["github-token"] }));
    const pod = manifests.job.spec.template.spec;
    expect(pod.volumes).toContainEqual({
      name: "inherited-0",
      secret: { secretName: "github-token", items: [{ key: "token", path: "token" }], optional: false },
    });
    expect(pod.volumes.filter((volume) => "secret" in volume && volume.secret.secretName !== manifests.names.secret)).toHaveLength(1);
    expect(container(manifests).volumeMounts).toContainEqual({ name: "inherited-0", mountPath: "/var/run/github", readOnly: true });
    expect(manifests.warnings.join("\n")).toMatch(/\/var\/run\/github\/nested collides with another mount/);
  });

  it("inherits none by default", () => {
    const pod = buildRunManifests(buildInput({ selfPod: selfPod({ secretVolumes }) })).job.spec.template.spec;
    expect(pod.volumes.map((volume) => volume.name)).toEqual(["run", "data"]);
  });
});

describe("buildRunManifests: run context checks", () => {
  it("refuses a run without ids, as a run-context error (not the agent's config)", () => {
    const run = runContext({ runId: " " });
    expect(codeOf(() => buildRunManifests({ config: configFrom(), run, selfPod: selfPod() }))).toBe(ManifestErrorCode.runContextInvalid);
  });

  it("is deterministic", () => {
    expect(buildRunManifests(buildInput())).toEqual(buildRunManifests(buildInput()));
  });
});

describe("skills shipped with the run", () => {
  it("puts their files in the run's Secret and mounts them, read-only, where claude looks for skills", () => {
    const manifests = buildRunManifests(
      buildInput({ skills: [{ runtimeName: "release-notes", files: [{ path: "SKILL.md", content: "# Release notes\n" }, { path: "templates/notes.md", content: "## {{version}}\n" }] }] }),
    );
    const secret = manifests.secrets[0]!;
    expect(Buffer.from(secret.data["skill.release-notes.0"]!, "base64").toString()).toBe("# Release notes\n");
    expect(Buffer.from(secret.data["skill.release-notes.1"]!, "base64").toString()).toBe("## {{version}}\n");
    const pod = manifests.job.spec.template.spec;
    const volume = pod.volumes.find((candidate) => "secret" in candidate && candidate.secret.items?.some((item) => item.key === "skill.release-notes.0"));
    expect(volume && "secret" in volume ? volume.secret.items : undefined).toEqual([
      { key: "skill.release-notes.0", path: "SKILL.md" },
      { key: "skill.release-notes.1", path: "templates/notes.md" },
    ]);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: volume!.name, mountPath: "/var/run/claude-k8s-skills/.claude/skills/release-notes", readOnly: true });
    expect(manifests.claudeArgv).toContain("--add-dir");
  });

  it("refuses a skill file path that climbs out of the skill", () => {
    expect(() => buildRunManifests(buildInput({ skills: [{ runtimeName: "evil", files: [{ path: "../../etc/passwd", content: "x" }] }] }))).toThrow(/relative path inside the skill/);
  });
});

describe("buildRunManifests: credentials by reference", () => {
  it("puts envFromSecrets in envFrom and envSecretKeyRefs as secretKeyRef, no value in the Job or the run's Secret", () => {
    const manifests = buildRunManifests(buildInput({}, { envFromSecrets: ["anthropic-credentials"], envSecretKeyRefs: { GH_TOKEN: "github/token" } }));
    expect(container(manifests).envFrom).toEqual([{ secretRef: { name: "anthropic-credentials" } }]);
    expect(envOf(manifests).get("GH_TOKEN")).toEqual({ name: "GH_TOKEN", valueFrom: { secretKeyRef: { name: "github", key: "token" } } });
    expect(Object.keys(decodeSecret(manifests.secrets[0]!))).not.toContain("env.GH_TOKEN");
    expect(() => new Job(manifests.job as never).validate()).not.toThrow();
  });
});
