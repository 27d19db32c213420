import type { ContentBlock, SseEvent } from "../sse.ts";

/** Parses an SSE body into events (test helper: the inverse of encodeSseEvent). */
export function parseSse(body: string): SseEvent[] {
  return body
    .split("\n\n")
    .filter((frame) => frame.trim() !== "")
    .map((frame) => {
      const lines = frame.split("\n");
      const event = lines.find((line) => line.startsWith("event: "))?.slice(7) ?? "";
      const data = lines.find((line) => line.startsWith("data: "))?.slice(6) ?? "{}";
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

/** Rebuilds the content blocks a client would assemble from the deltas, as the CLI does. */
export function assembleContent(events: SseEvent[]): ContentBlock[] {
  const blocks: Array<ContentBlock & { partial?: string }> = [];
  for (const { data } of events) {
    const index = data.index as number;
    if (data.type === "content_block_start") blocks[index] = { ...(data.content_block as ContentBlock), partial: "" };
    if (data.type === "content_block_delta") {
      const delta = data.delta as { type: string; text?: string; partial_json?: string };
      const block = blocks[index]!;
      if (delta.type === "text_delta" && block.type === "text") block.text += delta.text;
      if (delta.type === "input_json_delta") block.partial = (block.partial ?? "") + (delta.partial_json ?? "");
    }
    if (data.type === "content_block_stop") {
      const block = blocks[index]!;
      if (block.type === "tool_use") block.input = JSON.parse(block.partial || "{}");
      delete block.partial;
    }
  }
  return blocks;
}
