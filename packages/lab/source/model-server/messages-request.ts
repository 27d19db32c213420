// Reading what the CLI sent: tests assert on the tool_result the model received, and side
// routes look at the model and the system prompt.

export type MessagesRequestBody = {
  model?: string;
  system?: string | Array<{ type: string; text?: string }>;
  messages?: Array<{ role: string; content: string | Array<Record<string, unknown>> }>;
  tools?: Array<{ name: string }>;
  stream?: boolean;
  max_tokens?: number;
  [key: string]: unknown;
};

/** The system prompt as one string (the CLI sends it as several text blocks). */
export function systemText(body: MessagesRequestBody): string {
  if (typeof body.system === "string") return body.system;
  if (!Array.isArray(body.system)) return "";
  return body.system.map((block) => (typeof block.text === "string" ? block.text : "")).join("\n");
}

export type ReceivedToolResult = { toolUseId: string; content: string; isError: boolean; raw: Record<string, unknown> };

/** Text of a tool_result's content: a string, or text blocks joined (images show as "[image]"). */
function toolResultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((block: Record<string, unknown>) => (block.type === "text" && typeof block.text === "string" ? block.text : `[${String(block.type)}]`))
    .join("\n");
}

/** Every tool_result block in the request's messages, oldest first. */
export function toolResults(body: MessagesRequestBody): ReceivedToolResult[] {
  const results: ReceivedToolResult[] = [];
  for (const message of body.messages ?? []) {
    if (message.role !== "user" || !Array.isArray(message.content)) continue;
    for (const block of message.content) {
      if (block.type !== "tool_result") continue;
      results.push({ toolUseId: String(block.tool_use_id), content: toolResultText(block.content), isError: block.is_error === true, raw: block });
    }
  }
  return results;
}

/** Text of the last user message (string content or its text blocks). */
export function lastUserText(body: MessagesRequestBody): string {
  const users = (body.messages ?? []).filter((message) => message.role === "user");
  const last = users.at(-1);
  if (!last) return "";
  if (typeof last.content === "string") return last.content;
  return last.content.map((block) => (block.type === "text" && typeof block.text === "string" ? block.text : "")).join("\n");
}
