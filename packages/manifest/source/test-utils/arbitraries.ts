import fc from "fast-check";
import type { RtkHookProgram, RunContext, RunSkill, SelfPodInfo } from "../run-context.ts";
import { isWellFormed } from "./well-formed.ts";

/** Credentials are distinctive so that finding one in a Job cannot be a coincidence. */
export const credential = fc.stringMatching(/^[0-9a-f]{24}$/).map((hex) => `cred-${hex}`);

const anyText = fc.string({ unit: "binary", maxLength: 40 }).filter((text) => isWellFormed(text));
const uuid = fc.uuid();
const id = fc.oneof(uuid, uuid, anyText.filter((text) => text.trim() !== ""), fc.constantFrom("Agent_1", "a".repeat(200), "-lead", "ceo/cto"));

const serverPath = fc.oneof(
  fc.constant("/paperclip/instances/default/workspaces/ceo"),
  fc.constantFrom("/paperclip/instances/default/workspaces/ceo", "/paperclip", "/srv/paperclip/ws/a", "/home/paperclip/ws", "/paperclip/../etc"),
  fc.array(fc.stringMatching(/^[a-z0-9._-]{1,8}$/), { maxLength: 4 }).map((parts) => `/paperclip/${parts.join("/")}`),
);

const envName = fc.oneof(
  fc.constantFrom("GIT_AUTHOR_NAME", "API_TOKEN", "DB_PASSWORD", "ANTHROPIC_BASE_URL", "TMPDIR", "PAPERCLIP_RUN_ID", "PAPERCLIP_API_URL", "HOME"),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/),
  fc.constantFrom("1BAD", "has space", ""),
);

/** Any raw adapterConfig: every key often wrong. */
const anyRawConfig = fc.record(
  {
    model: fc.constantFrom("claude-sonnet-4-6", "claude-opus-4-7[1m]", "two words", 42),
    effort: fc.constantFrom("high", "low", "", ["x"]),
    maxTurnsPerRun: fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.constantFrom("50", "many", 1.5)),
    dangerouslySkipPermissions: fc.constantFrom(true, false, "true", "no"),
    instructionsFilePath: fc.oneof(serverPath.map((path) => `${path}/AGENTS.md`), fc.constantFrom("AGENTS.md", 7)),
    extraArgs: fc.oneof(fc.array(anyText, { maxLength: 4 }), fc.constantFrom('["--x"]', "--verbose", 5)),
    env: fc.oneof(
      fc.dictionary(envName, fc.oneof(anyText, fc.integer(), fc.constant({ nested: true })), { maxKeys: 5 }),
      fc.constantFrom("A=b", null),
    ),
    promptTemplate: fc.oneof(anyText, fc.constantFrom("Agent {{agent.name}} on {{ context.wakeReason }}", "")),
    bootstrapPromptTemplate: anyText,
    cwd: serverPath,
    mcpServers: fc.oneof(
      fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.record({ type: fc.constant("http"), url: fc.webUrl() }), { maxKeys: 2 }),
      fc.constantFrom("not json", { bad: 1 }),
    ),
    enableRtk: fc.boolean(),
    rtkMaxOutputBytes: fc.oneof(fc.integer({ min: 0, max: 200_000 }), fc.constant("50000")),
    namespace: fc.constantFrom("agents", "paperclip", "Bad_NS", "", "a".repeat(64)),
    image: fc.constantFrom("ghcr.io/acme/agent:1", "has space", "", `agent@sha256:${"a".repeat(64)}`),
    imagePullPolicy: fc.constantFrom("Always", "IfNotPresent", "Never", "Sometimes"),
    imagePullSecrets: fc.oneof(fc.constant(["regcred"]), fc.constant([]), fc.constant(["Bad Secret"])),
    serviceAccountName: fc.constantFrom("agent", "Bad_SA", ""),
    automountServiceAccountToken: fc.boolean(),
    resources: fc.oneof(
      fc.record(
        {
          requests: fc.record({ cpu: fc.constantFrom("500m", "2", "lots"), memory: fc.constantFrom("1Gi", "3Gi", "-1") }, { requiredKeys: [] }),
          limits: fc.record({ cpu: fc.constantFrom("1", "4000m"), memory: fc.constantFrom("2Gi", "16Gi", 0) }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
      fc.constantFrom("big", { huge: {} }),
    ),
    "resources.limits.memory": fc.constantFrom("4Gi", "1Mi", "x"),
    nodeSelector: fc.oneof(
      fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.stringMatching(/^[a-z0-9]{0,5}$/), { maxKeys: 3 }),
      fc.constantFrom("pool=agents", "{}", "=broken", { k: "bad value!" }),
    ),
    tolerations: fc.oneof(
      fc.constant([{ key: "dedicated", operator: "Equal", value: "agents", effect: "NoSchedule" }]),
      fc.constant([{ operator: "Exists" }]),
      fc.constantFrom("[]", "nope", [{ key: "k", operator: "Maybe" }]),
    ),
    labels: fc.oneof(
      fc.dictionary(fc.oneof(fc.stringMatching(/^[a-z]{1,8}$/), fc.constantFrom("paperclip.io/run-id", "x/y/z")), anyText, { maxKeys: 3 }),
      fc.constantFrom("team=platform", "team=a b"),
    ),
    runAsUser: fc.oneof(fc.integer({ min: -1, max: 70_000 }), fc.constant("1000")),
    runAsGroup: fc.integer({ min: -1, max: 70_000 }),
    fsGroup: fc.integer({ min: -1, max: 70_000 }),
    workspaceVolumeClaim: fc.constantFrom("paperclip-data", "other-claim", "Bad_Claim", ""),
    workspaceMountPath: fc.constantFrom("/paperclip", "/data", "/etc", "relative", "/var/run/claude-k8s"),
    serverMountPath: fc.constantFrom("/paperclip", "/srv/paperclip", "/"),
    inheritEnv: fc.constantFrom(["OTEL_*"], ["NODE_ENV"], ["bad name*"]),
    inheritSecretVolumes: fc.constantFrom(["github-token"], [], ["Bad Name"]),
    ttlSecondsAfterFinished: fc.integer({ min: -1, max: 100_000 }),
    timeoutSec: fc.oneof(fc.integer({ min: -1, max: 100_000 }), fc.constant("3600")),
    graceSec: fc.integer({ min: -1, max: 1000 }),
    podScheduleTimeoutSec: fc.integer({ min: 0, max: 1000 }),
    someUnknownKey: fc.anything(),
  },
  { requiredKeys: [] },
);

/** Configs an operator would write: every value valid, any subset of keys. */
const sensibleRawConfig = fc.record(
  {
    model: fc.constantFrom("claude-sonnet-4-6", "claude-opus-4-7[1m]"),
    effort: fc.constantFrom("high", "low"),
    maxTurnsPerRun: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant("50")),
    dangerouslySkipPermissions: fc.boolean(),
    instructionsFilePath: fc.constantFrom("/paperclip/agents/ceo/AGENTS.md", "/srv/paperclip/agents/AGENTS.md"),
    extraArgs: fc.array(anyText.filter((text) => !text.includes("\0")), { maxLength: 4 }),
    env: fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/), anyText.filter((text) => !text.includes("\0")), { maxKeys: 5 }),
    promptTemplate: fc.constantFrom("Agent {{agent.name}} ({{agentId}}) on {{ context.wakeReason }}", "Continue."),
    bootstrapPromptTemplate: anyText,
    mcpServers: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.record({ type: fc.constant("http"), url: fc.webUrl() }), { maxKeys: 2 }),
    enableRtk: fc.boolean(),
    rtkMaxOutputBytes: fc.integer({ min: 1000, max: 200_000 }),
    namespace: fc.constantFrom("agents", "paperclip"),
    image: fc.constantFrom("ghcr.io/acme/agent:1", `agent@sha256:${"a".repeat(64)}`),
    imagePullPolicy: fc.constantFrom("Always", "IfNotPresent", "Never"),
    serviceAccountName: fc.constantFrom("agent", "paperclip-agent"),
    automountServiceAccountToken: fc.boolean(),
    "resources.limits.memory": fc.constantFrom("8Gi", "16Gi"),
    nodeSelector: fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.stringMatching(/^[a-z0-9]{0,5}$/), { maxKeys: 3 }),
    tolerations: fc.constant([{ key: "dedicated", operator: "Equal", value: "agents", effect: "NoSchedule" }]),
    labels: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z0-9]{0,8}$/), { maxKeys: 3 }),
    podAnnotations: fc.dictionary(fc.constantFrom("sidecar.istio.io/inject", "note", "paperclip.io/run-id"), anyText, { maxKeys: 3 }),
    priorityClassName: fc.constantFrom("agents", "high"),
    runAsUser: fc.integer({ min: 1, max: 70_000 }),
    fsGroup: fc.integer({ min: 0, max: 70_000 }),
    workspaceVolumeClaim: fc.constantFrom("paperclip-data", "other-claim"),
    workspaceMountPath: fc.constantFrom("/paperclip", "/data"),
    serverMountPath: fc.constantFrom("/paperclip", "/paperclip", "/srv/paperclip", "/"),
    inheritEnv: fc.constantFrom(["OTEL_*"], ["NODE_ENV"]),
    inheritSecretVolumes: fc.constantFrom(["github-token"], []),
    ttlSecondsAfterFinished: fc.integer({ min: 0, max: 100_000 }),
    timeoutSec: fc.integer({ min: 0, max: 100_000 }),
  },
  { requiredKeys: [] },
);

/** A raw adapterConfig as Paperclip might hold it: often sensible, often wrong somewhere. */
export const rawConfig: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 3, arbitrary: sensibleRawConfig },
  { weight: 2, arbitrary: anyRawConfig },
  { weight: 1, arbitrary: anyRawConfig.map((config) => ({ ...config, command: "rm -rf /" })) },
);

/** Env of the server container: credentials (by name and inside proxy URLs), references, noise. */
const serverEnv = fc.tuple(credential, credential, credential, credential).map(([apiKey, jwt, db, proxy]) => ({
  credentials: [apiKey, jwt, db, proxy],
  env: [
    { name: "ANTHROPIC_API_KEY", value: apiKey },
    { name: "PAPERCLIP_AGENT_JWT_SECRET", value: jwt },
    { name: "DATABASE_URL", value: `postgres://u:${db}@db/p` },
    { name: "HTTPS_PROXY", value: `http://user:${proxy}@proxy:3128` },
    { name: "PAPERCLIP_API_URL", value: "http://paperclip:3100" },
    { name: "CLAUDE_CODE_MAX_RETRIES", value: "3" },
    { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "aws", key: "secret" } } },
    { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
  ],
}));

export const selfPodArbitrary: fc.Arbitrary<{ selfPod: SelfPodInfo | undefined; credentials: string[] }> = fc.oneof(
  fc.constant<{ selfPod: SelfPodInfo | undefined; credentials: string[] }>({ selfPod: undefined, credentials: [] }),
  fc
    .record({
      namespace: fc.constantFrom("paperclip", "agents"),
      dataMountPath: fc.constantFrom("/paperclip", "/paperclip", "/paperclip", "/srv/paperclip"),
      withVolumes: fc.boolean(),
      server: serverEnv,
    })
    .map(({ namespace, dataMountPath, withVolumes, server }) => ({
      credentials: server.credentials,
      selfPod: {
        namespace,
        image: "ghcr.io/acme/paperclip:1",
        dataVolumeClaim: "paperclip-data",
        dataMountPath,
        imagePullSecrets: ["regcred"],
        dnsConfig: { options: [{ name: "ndots", value: "2" }] },
        nodeSelector: { pool: "paperclip" },
        env: server.env,
        secretVolumes: withVolumes
          ? [
              { secretName: "github-token", mountPath: "/var/run/github", items: [{ key: "token", path: "token" }], optional: false },
              { secretName: "github-token", mountPath: "/var/run/claude-k8s/x" },
            ]
          : [],
      },
    })),
);

const markdown = fc.oneof(
  anyText,
  fc.constantFrom(0, 1, 300_000, 1_100_000).map((size) => "m".repeat(size)),
);

export const runArbitrary: fc.Arbitrary<{ run: RunContext; credentials: string[] }> = fc
  .record({
    runId: id,
    agentId: id,
    companyId: id,
    name: fc.option(anyText, { nil: undefined }),
    sessionId: fc.option(fc.oneof(uuid, anyText), { nil: undefined }),
    wakeReason: fc.option(anyText, { nil: undefined }),
    comments: fc.array(fc.oneof(anyText, fc.record({ body: anyText })), { maxLength: 3 }),
    taskMarkdown: markdown,
    // Paperclip's default agent workspace is named by the agent's id ("own" below).
    cwd: fc.option(fc.oneof(serverPath, fc.constant("own"), fc.constant("own")), { nil: undefined }),
    worktreePath: fc.option(serverPath, { nil: undefined }),
    wakePayloadSize: fc.constantFrom(0, 10, 140_000),
    issueIds: fc.array(anyText, { maxLength: 3 }),
    authToken: fc.option(credential, { nil: undefined }),
  })
  .map((r) => ({ ...r, cwd: r.cwd === "own" ? `/paperclip/instances/default/workspaces/${r.agentId}` : r.cwd }))
  .map((r) => ({
    credentials: r.authToken === undefined ? [] : [r.authToken],
    run: {
      runId: r.runId,
      agent: { id: r.agentId, companyId: r.companyId, ...(r.name === undefined ? {} : { name: r.name }) },
      runtime: { sessionParams: r.sessionId === undefined ? null : { sessionId: r.sessionId }, sessionId: null },
      context: {
        ...(r.wakeReason === undefined ? {} : { wakeReason: r.wakeReason }),
        paperclipWake: { comments: r.comments, payload: "p".repeat(r.wakePayloadSize) },
        paperclipTaskMarkdown: r.taskMarkdown,
        paperclipWorkspace: { ...(r.cwd === undefined ? {} : { cwd: r.cwd }), ...(r.worktreePath === undefined ? {} : { worktreePath: r.worktreePath }) },
        issueIds: r.issueIds,
      },
      ...(r.authToken === undefined ? {} : { authToken: r.authToken }),
    },
  }));

export const skillsArbitrary: fc.Arbitrary<RunSkill[]> = fc.array(
  fc.record({
    runtimeName: fc.oneof(
      { weight: 9, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/) },
      { weight: 1, arbitrary: fc.constantFrom("..", "bad/name", "") },
    ),
    sourcePath: serverPath,
  }),
  { maxLength: 3 },
);

export const rtkHookArbitrary: fc.Arbitrary<RtkHookProgram | undefined> = fc.option(
  fc.record({
    program: fc.constantFrom("console.log(1)\n", "console.log(1)\n", ""),
    format: fc.constantFrom<"module" | "commonjs">("module", "commonjs"),
  }),
  { nil: undefined, freq: 5 },
);

/** Sensitive env given in config: credential values under names that say so. */
export const configCredentialsArbitrary = fc.dictionary(
  fc.constantFrom("GITHUB_TOKEN", "NPM_AUTH_TOKEN", "ANTHROPIC_API_KEY", "MY_PASSWORD", "SERVICE_SECRET"),
  credential,
  { maxKeys: 3 },
);
