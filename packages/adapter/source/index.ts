// paperclip-adapter-claude-k8s. `createServerAdapter()` (execute, testEnvironment) arrives
// with the runtime; the pieces below are final.
export { normalizeSessionParams, sessionCodec, sessionManagement, type ClaudeSessionParams } from "./session-codec.ts";
export { anthropicModels, bedrockModels, listModels, usesBedrock, usesVertex, type AdapterModel } from "./models.ts";
