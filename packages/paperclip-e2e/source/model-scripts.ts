// What the scripted model answers each agent. Functions of the request rather than fixed
// lists: Paperclip starts follow-up runs by itself, and every run must get a sane answer.
import { apiError, hang, type MessagesRequestBody, text, toolUse } from "@claude-k8s/lab/source/model-server/index.ts";

function endsWithToolResult(body: MessagesRequestBody): boolean {
  const last = body.messages?.at(-1);
  return Array.isArray(last?.content) && last.content.some((block) => block.type === "tool_result");
}

/** One Bash call per prompt, then the answer. */
export const bashThenAnswer = (command: string, answer: string) => (body: MessagesRequestBody) =>
  endsWithToolResult(body) ? text(answer) : toolUse("Bash", { command });

/** Every request is refused with 401, as a revoked key is. */
export const unauthorized = () => apiError(401, { message: "invalid x-api-key" });

/** The model never answers: the run stays running until it is cancelled. */
export const neverAnswers = () => hang();
