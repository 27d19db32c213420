export { type ErrorReply, errorReply, errorTypeFor } from "./anthropic-errors.ts";
export { lastUserText, type MessagesRequestBody, type ReceivedToolResult, systemText, toolResults } from "./messages-request.ts";
export {
  type ModelServer,
  type ModelServerOptions,
  type OtherRequest,
  type RecordedRequest,
  type ScriptFunction,
  startModelServer,
} from "./model-server.ts";
export { type AssistantMessage, type ContentBlock, encodeSseEvent, type SseEvent, streamEvents } from "./sse.ts";
export * from "./steps.ts";
export { validateScript, validateStep } from "./validate-step.ts";
export { defaultSideRoute, firstSideRoute, type SideRoute, sideRoute } from "./side-routes.ts";
export { type ClaudeRun, claudeBinary, type RunClaudeOptions, runClaude } from "./run-claude.ts";
