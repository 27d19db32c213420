// Turning one JSON object (or one line known to hold one) into a typed event.
import type { JsonEvent, JsonObject, StreamEvent, TextEvent } from "./events.ts";

type JsonKind = JsonEvent["kind"];

/** The event kind for a top-level `type`/`subtype` pair. */
export function kindOf(type: unknown, subtype: unknown): JsonKind {
  switch (type) {
    case "system":
      return subtype === "init" ? "init" : subtype === "api_retry" ? "api_retry" : "system";
    case "assistant":
    case "user":
    case "result":
    case "rate_limit_event":
    case "stream_event":
      return type;
    default:
      return "unknown";
  }
}

/** Kinds whose JSON the summary never reads: these are parsed only when someone asks. */
export function isLazyKind(kind: JsonKind): boolean {
  return kind === "user" || kind === "stream_event";
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function eventFromObject(object: JsonObject, line: string): StreamEvent {
  const uuid = typeof object.uuid === "string" ? object.uuid : undefined;
  return { kind: kindOf(object.type, object.subtype), uuid, line, data: object } as JsonEvent;
}

export function textEvent(text: string): TextEvent {
  return { kind: "text", uuid: undefined, text, malformedJson: text.trimStart().startsWith("{") };
}

/**
 * An event whose JSON is read on first access of `data`. The line already passed a structural
 * scan; if JSON.parse still refuses it (a broken escape inside a string, which the scan does not
 * check), `data` holds the fields the scan could read, so reading an event never throws.
 */
export class LazyJsonEvent {
  readonly kind: JsonKind;
  readonly uuid: string | undefined;
  readonly line: string;
  readonly #sessionId: string | undefined;
  #data: JsonObject | undefined;

  constructor(kind: JsonKind, line: string, uuid: string | undefined, sessionId: string | undefined) {
    this.kind = kind;
    this.line = line;
    this.uuid = uuid;
    this.#sessionId = sessionId;
  }

  get data(): JsonObject {
    if (this.#data === undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(this.line);
      } catch {
        parsed = undefined;
      }
      this.#data = isJsonObject(parsed) ? parsed : this.#sniffedFields();
    }
    return this.#data;
  }

  #sniffedFields(): JsonObject {
    const fields: JsonObject = { type: this.kind };
    if (this.uuid !== undefined) fields.uuid = this.uuid;
    if (this.#sessionId !== undefined) fields.session_id = this.#sessionId;
    return fields;
  }

  toJSON(): { kind: JsonKind; uuid: string | undefined; data: JsonObject } {
    return { kind: this.kind, uuid: this.uuid, data: this.data };
  }
}
