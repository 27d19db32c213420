import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { StreamEvent } from "./events.ts";
import { eventsFromLine } from "./line-events.ts";
import { plain } from "./test-utils/events.ts";

function events(line: string): StreamEvent[] {
  const out: StreamEvent[] = [];
  eventsFromLine(line, (event) => out.push(event));
  return out;
}

const init = '{"type":"system","subtype":"init","session_id":"s-1","model":"claude-opus-5-5","uuid":"u-init"}';
const assistant = '{"type":"assistant","message":{"id":"m1","content":[{"type":"text","text":"hi"}]},"session_id":"s-1","uuid":"u-a"}';
const user = '{"type":"user","message":{"role":"user","content":[{"tool_use_id":"t1","type":"tool_result","content":"ok"}]},"session_id":"s-1","uuid":"u-user"}';
// The CLI writes `result` with `type` near the end, as 2.1.330 does.
const result = '{"duration_ms":5,"is_error":false,"subtype":"success","result":"done","type":"result","session_id":"s-1","uuid":"u-r"}';

describe("eventsFromLine", () => {
  it("types each event by type and subtype", () => {
    expect(events(init).map((e) => e.kind)).toEqual(["init"]);
    expect(events('{"type":"system","subtype":"api_retry","attempt":1,"uuid":"x"}').map((e) => e.kind)).toEqual(["api_retry"]);
    expect(events('{"type":"system","subtype":"compact_boundary","uuid":"x"}').map((e) => e.kind)).toEqual(["system"]);
    expect(events(assistant).map((e) => e.kind)).toEqual(["assistant"]);
    expect(events(user).map((e) => e.kind)).toEqual(["user"]);
    expect(events(result).map((e) => e.kind)).toEqual(["result"]);
    expect(events('{"type":"rate_limit_event","rate_limit_info":{"status":"allowed"}}').map((e) => e.kind)).toEqual(["rate_limit_event"]);
    expect(events('{"type":"stream_event","event":{"type":"message_start"}}').map((e) => e.kind)).toEqual(["stream_event"]);
  });

  it("keeps JSON of another type raw as an unknown event", () => {
    const [event] = events('{"type":"control_request","request_id":"r1"}');
    expect(plain(event!)).toEqual({ kind: "unknown", uuid: undefined, line: '{"type":"control_request","request_id":"r1"}', data: { type: "control_request", request_id: "r1" } });
    expect(events('{"no_type":true}').map((e) => e.kind)).toEqual(["unknown"]);
  });

  it("turns a non-JSON line into a text event and ignores blank lines", () => {
    expect(events("[paperclip] keepalive — job x running")).toEqual([{ kind: "text", uuid: undefined, text: "[paperclip] keepalive — job x running", malformedJson: false }]);
    expect(events("   \t")).toEqual([]);
  });

  it("reads the uuid of an event", () => {
    expect(events(user)[0]!.uuid).toBe("u-user");
    expect(events(result)[0]!.uuid).toBe("u-r");
  });

  it("parses a user event only when its data is read, and then like JSON.parse", () => {
    const [event] = events(user);
    expect(Object.keys(event!)).not.toContain("data");
    expect(event!.kind === "user" && event!.data).toEqual(JSON.parse(user));
  });

  it("gives a user event whose body is not valid JSON the fields it could read, instead of throwing", () => {
    // A bad escape inside a string passes the structural scan; JSON.parse refuses it later.
    const broken = String.raw`{"type":"user","message":"\q","uuid":"u-9","session_id":"s-9"}`;
    const [event] = events(broken);
    expect(event!.kind).toBe("user");
    expect(event!.kind === "user" && event!.data).toEqual({ type: "user", uuid: "u-9", session_id: "s-9" });
  });

  it("recovers two events glued on one line", () => {
    expect(events(`${assistant}${result}`).map(plain)).toEqual([
      { kind: "assistant", uuid: "u-a", line: assistant, data: JSON.parse(assistant) },
      { kind: "result", uuid: "u-r", line: result, data: JSON.parse(result) },
    ]);
    expect(events(`${user}${init}`).map((e) => e.kind)).toEqual(["user", "init"]);
  });

  it("recovers an event glued after text that is not JSON, and keeps the text", () => {
    expect(events(`progress 40%${result}`).map(plain)).toEqual([
      { kind: "text", uuid: undefined, text: "progress 40%", malformedJson: false },
      { kind: "result", uuid: "u-r", line: result, data: JSON.parse(result) },
    ]);
  });

  it("recovers an event glued after a truncated event, without inventing events from its nested objects", () => {
    const truncated = assistant.slice(0, assistant.indexOf('"text":"hi"') + 6);
    expect(truncated.endsWith('"text"')).toBe(true);
    const line = `${truncated}${result}`;
    expect(events(line).map((e) => e.kind)).toEqual(["text", "result"]);
    expect(events(`${user.slice(0, 60)}${init}`).map((e) => e.kind)).toEqual(["text", "init"]);
    // The content block inside the broken event is a whole object, but not an event.
    const brokenWithWholeBlock = `${assistant.slice(0, assistant.indexOf("]}"))}`;
    expect(events(brokenWithWholeBlock)).toEqual([{ kind: "text", uuid: undefined, text: brokenWithWholeBlock, malformedJson: true }]);
  });

  it("reads a user event nested deeper than the scan goes, by parsing it", () => {
    const deep = JSON.stringify({ type: "user", message: { content: [{ type: "tool_result", content: JSON.parse(`${"[".repeat(600)}${"]".repeat(600)}`) }] }, uuid: "u-deep" });
    const [event] = events(deep);
    expect(plain(event!)).toEqual({ kind: "user", uuid: "u-deep", line: deep, data: JSON.parse(deep) });
  });

  it("keeps trailing garbage after a whole event as text", () => {
    expect(events(`${init} garbage`).map((e) => e.kind)).toEqual(["init", "text"]);
  });

  it("treats a line that only mentions JSON as text", () => {
    expect(events('Error: bad input {"type":"result","x":1}').map((e) => e.kind)).toEqual(["text"]);
  });

  it("never throws and never loses a non-blank line, whatever the text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom("{", "}", '"', ":", ",", "[", "]", "\\", "a", "1", " ") })), (text) => {
        const out = events(text);
        if (text.trim() !== "" && out.length === 0) throw new Error(`no event for ${JSON.stringify(text)}`);
      }),
    );
  });
});
