// Encoding of one assistant message as the Messages API streams it. Pure: the server writes
// these events; the unit tests decode them back and compare with the message.

export type TextBlock = { type: "text"; text: string };
export type ToolUseBlock = { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };
export type ContentBlock = TextBlock | ToolUseBlock;

export type StopReason = "end_turn" | "tool_use" | "max_tokens" | "stop_sequence";

export type AssistantMessage = {
  id: string;
  model: string;
  content: ContentBlock[];
  stopReason: StopReason;
  inputTokens: number;
  outputTokens: number;
};

export type SseEvent = { event: string; data: Record<string, unknown> };

/** Characters per delta. Small enough that every reply spans several deltas, as real ones do. */
export const defaultChunkSize = 64;

/** Splits on code points, so no delta ever carries half of a surrogate pair. */
export function chunkText(value: string, size = defaultChunkSize): string[] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`chunkText: size must be a positive integer, got ${size}`);
  const points = Array.from(value);
  const chunks: string[] = [];
  for (let start = 0; start < points.length; start += size) chunks.push(points.slice(start, start + size).join(""));
  return chunks;
}

const usage = (message: AssistantMessage, outputTokens: number) => ({
  input_tokens: message.inputTokens,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  output_tokens: outputTokens,
});

/** The non-streaming reply body (`stream` absent or false). */
export function messageBody(message: AssistantMessage): Record<string, unknown> {
  return {
    id: message.id,
    type: "message",
    role: "assistant",
    model: message.model,
    content: message.content,
    stop_reason: message.stopReason,
    stop_sequence: null,
    usage: usage(message, message.outputTokens),
  };
}

/** The full SSE event sequence for a message, message_start to message_stop. */
export function streamEvents(message: AssistantMessage, chunkSize = defaultChunkSize): SseEvent[] {
  const events: SseEvent[] = [
    {
      event: "message_start",
      data: { type: "message_start", message: { ...messageBody(message), content: [], stop_reason: null, usage: usage(message, 1) } },
    },
    { event: "ping", data: { type: "ping" } },
  ];
  message.content.forEach((block, index) => {
    if (block.type === "text") {
      events.push({ event: "content_block_start", data: { type: "content_block_start", index, content_block: { type: "text", text: "" } } });
      for (const text of chunkText(block.text, chunkSize)) {
        events.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta: { type: "text_delta", text } } });
      }
    } else {
      events.push({
        event: "content_block_start",
        data: { type: "content_block_start", index, content_block: { type: "tool_use", id: block.id, name: block.name, input: {} } },
      });
      for (const partial_json of chunkText(JSON.stringify(block.input), chunkSize)) {
        events.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json } } });
      }
    }
    events.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
  });
  events.push(
    {
      event: "message_delta",
      data: { type: "message_delta", delta: { stop_reason: message.stopReason, stop_sequence: null }, usage: { output_tokens: message.outputTokens } },
    },
    { event: "message_stop", data: { type: "message_stop" } },
  );
  return events;
}

/** One event on the wire. JSON never contains a raw newline, so `data:` is always one line. */
export function encodeSseEvent(event: SseEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** A mid-stream API error, as the API sends it after a 200 (e.g. overloaded during a reply). */
export function errorEvent(errorType: string, message: string): SseEvent {
  return { event: "error", data: { type: "error", error: { type: errorType, message } } };
}

/** Rough token count (4 characters per token) so usage figures look plausible and grow with size. */
export const estimateTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));
