// paperclip-adapter-claude-k8s: the Paperclip plugin. Paperclip calls createServerAdapter()
// with no arguments and uses what it returns for every agent of type claude_k8s.
import { getConfigSchema } from "./config-schema.ts";
import { agentConfigurationDoc } from "./configuration-doc.ts";
import { ADAPTER_TYPE, execute } from "./execute.ts";
import { anthropicModels, listModels } from "./models.ts";
import { sessionCodec, sessionManagement } from "./session-codec.ts";
import { testEnvironment } from "./test-environment.ts";

export function createServerAdapter() {
  return {
    type: ADAPTER_TYPE,
    execute,
    testEnvironment,
    sessionCodec,
    sessionManagement,
    models: [...anthropicModels],
    listModels: async () => listModels(),
    getConfigSchema,
    agentConfigurationDoc,
    // Paperclip mints a per-run agent JWT (ctx.authToken); it reaches the pod as PAPERCLIP_API_KEY by secretKeyRef.
    supportsLocalAgentJwt: true,
  };
}

export { execute, testEnvironment, getConfigSchema, agentConfigurationDoc };
export { closeRuntimes } from "./kube-access.ts";
export { normalizeSessionParams, sessionCodec, sessionManagement, type ClaudeSessionParams } from "./session-codec.ts";
export { anthropicModels, bedrockModels, listModels, usesBedrock, usesVertex, type AdapterModel } from "./models.ts";
export { toExecutionResult, type ExecutionFacts } from "./execution-result.ts";
export type * from "./paperclip-types.ts";
