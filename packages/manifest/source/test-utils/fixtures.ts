import { requireAdapterConfig } from "../config/parse-adapter-config.ts";
import type { AdapterConfig } from "../config/types.ts";
import type { BuildRunInput } from "../build-run-manifests.ts";
import type { RunContext, SelfPodInfo } from "../run-context.ts";

export const AGENT_ID = "4f9c2d1e-7a3b-4c5d-9e8f-0a1b2c3d4e5f";
export const COMPANY_ID = "c0ffee00-1111-2222-3333-444455556666";
export const RUN_ID = "9b8a7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d";
export const AUTH_TOKEN = "eyJhbGciOiJIUzI1NiJ9.agent-jwt-for-tests.signature";

export function configFrom(raw: Record<string, unknown> = {}): AdapterConfig {
  return requireAdapterConfig(raw).config;
}

export function runContext(overrides: Partial<RunContext> = {}): RunContext {
  return {
    runId: RUN_ID,
    agent: { id: AGENT_ID, companyId: COMPANY_ID, name: "CEO" },
    runtime: { sessionId: null, sessionParams: null, taskKey: "issue-1" },
    context: {
      issueId: "issue-1",
      wakeReason: "issue_assigned",
      paperclipWorkspace: { cwd: `/paperclip/instances/default/workspaces/${AGENT_ID}`, source: "agent_home" },
    },
    authToken: AUTH_TOKEN,
    ...overrides,
  };
}

/** A Paperclip server pod as the runtime would describe it. */
export function selfPod(overrides: Partial<SelfPodInfo> = {}): SelfPodInfo {
  return {
    namespace: "paperclip",
    image: "ghcr.io/acme/paperclip:2026.916.1",
    dataVolumeClaim: "paperclip-data",
    dataMountPath: "/paperclip",
    imagePullSecrets: ["regcred"],
    env: [
      { name: "PAPERCLIP_API_URL", value: "http://paperclip.paperclip.svc:3100" },
      { name: "DATABASE_URL", value: "postgres://paperclip:hunter2@db/paperclip" },
      { name: "PAPERCLIP_AGENT_JWT_SECRET", value: "jwt-signing-secret" },
      { name: "ANTHROPIC_API_KEY", value: "sk-ant-server-key" },
      { name: "ANTHROPIC_BASE_URL", value: "https://proxy.internal" },
      { name: "NODE_ENV", value: "production" },
      { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "aws", key: "secret" } } },
      { name: "CLAUDE_CODE_OAUTH_TOKEN", valueFrom: { secretKeyRef: { name: "claude", key: "token" } } },
    ],
    ...overrides,
  };
}

export function buildInput(overrides: Partial<BuildRunInput> = {}, rawConfig: Record<string, unknown> = {}): BuildRunInput {
  return { config: configFrom(rawConfig), run: runContext(), selfPod: selfPod(), ...overrides };
}
