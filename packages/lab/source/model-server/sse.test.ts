import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AssistantMessage, chunkText, encodeSseEvent, messageBody, streamEvents } from "./sse.ts";
import { assembleContent, parseSse } from "./test-utils/read-sse.ts";

const message = (content: AssistantMessage["content"], stopReason: AssistantMessage["stopReason"] = "end_turn"): AssistantMessage => ({
  id: "msg_1",
  model: "claude-test",
  content,
  stopReason,
  inputTokens: 10,
  outputTokens: 5,
});

const isWellFormed = (value: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value);

describe("streamEvents", () => {
  it("streams a text answer in the order the Messages API uses", () => {
    const events = streamEvents(message([{ type: "text", text: "Hello" }]));
    expect(events.map((event) => event.event)).toEqual([
      "message_start",
      "ping",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(events[0]!.data).toMatchObject({ message: { id: "msg_1", role: "assistant", content: [], stop_reason: null } });
    expect(events[3]!.data).toEqual({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hello" } });
    expect(events[5]!.data).toEqual({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: 5 },
    });
  });

  it("streams tool input as input_json_delta pieces that parse back to the input", () => {
    const input = { command: "x".repeat(300), nested: { n: 1 } };
    const events = streamEvents(message([{ type: "tool_use", id: "toolu_1", name: "Bash", input }], "tool_use"));
    const deltas = events.filter((event) => event.event === "content_block_delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.every((event) => (event.data.delta as { type: string }).type === "input_json_delta")).toBe(true);
    expect(events[2]!.data).toMatchObject({ content_block: { type: "tool_use", id: "toolu_1", name: "Bash", input: {} } });
    expect(assembleContent(events)).toEqual([{ type: "tool_use", id: "toolu_1", name: "Bash", input }]);
  });

  it("round-trips any content through the wire encoding", () => {
    const block = fc.oneof(
      fc.record({ type: fc.constant("text" as const), text: fc.string({ unit: "grapheme", minLength: 1 }) }),
      fc.record({
        type: fc.constant("tool_use" as const),
        id: fc.string({ minLength: 1 }),
        name: fc.string({ minLength: 1 }),
        input: fc.dictionary(fc.string(), fc.jsonValue()),
      }),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 4 }), fc.integer({ min: 1, max: 50 }), (content, chunkSize) => {
        // JSON drops -0 and undefined; compare with what a JSON round trip would give.
        const expected = JSON.parse(JSON.stringify(content));
        const wire = streamEvents(message(content), chunkSize).map(encodeSseEvent).join("");
        expect(assembleContent(parseSse(wire))).toEqual(expected);
      }),
    );
  });

  it("gives the same message without streaming", () => {
    const content = [{ type: "text" as const, text: "hi" }];
    expect(messageBody(message(content))).toMatchObject({ type: "message", content, stop_reason: "end_turn", usage: { output_tokens: 5 } });
  });
});

describe("chunkText", () => {
  it("never splits a surrogate pair and loses nothing", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.integer({ min: 1, max: 8 }), (value, size) => {
        const chunks = chunkText(value, size);
        expect(chunks.join("")).toBe(value);
        if (isWellFormed(value)) expect(chunks.every(isWellFormed)).toBe(true);
      }),
    );
  });

  it("refuses a size that is not a positive integer", () => {
    expect(() => chunkText("abc", 0)).toThrow(/positive integer, got 0/);
  });
});

describe("encodeSseEvent", () => {
  it("writes one event and one data line, newlines in text escaped", () => {
    expect(encodeSseEvent({ event: "ping", data: { type: "ping", text: "a\nb" } })).toBe('event: ping\ndata: {"type":"ping","text":"a\\nb"}\n\n');
  });
});
