import { type Step, stepKinds } from "./steps.ts";

// Script files are written by hand: a typo must fail at load time naming the step and the
// field, not turn into a confusing CLI retry loop minutes later.

function fail(where: string, message: string): never {
  throw new Error(`model-server: ${where}: ${message}`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function optionalNumber(step: Record<string, unknown>, key: string, where: string, min = 0) {
  const value = step[key];
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    fail(where, `"${key}" must be a number >= ${min}, got ${JSON.stringify(value)}`);
  }
}

function optionalString(step: Record<string, unknown>, key: string, where: string) {
  const value = step[key];
  if (value !== undefined && typeof value !== "string") fail(where, `"${key}" must be a string, got ${JSON.stringify(value)}`);
}

/** Checks one step of a script; returns it typed or throws an error that names `where` and the bad field. */
export function validateStep(value: unknown, where: string): Step {
  if (!isObject(value)) fail(where, `a step must be an object with "kind", got ${JSON.stringify(value)}`);
  const kind = value.kind;
  if (typeof kind !== "string" || !(stepKinds as readonly string[]).includes(kind)) {
    fail(where, `"kind" must be one of ${stepKinds.join(", ")}; got ${JSON.stringify(kind)}`);
  }
  optionalNumber(value, "delayMs", where);
  optionalString(value, "heldUntil", where);
  const repeat = value.repeat;
  if (repeat !== undefined && repeat !== "forever" && !(typeof repeat === "number" && Number.isInteger(repeat) && repeat >= 1)) {
    fail(where, `"repeat" must be an integer >= 1 or "forever", got ${JSON.stringify(repeat)}`);
  }
  switch (kind) {
    case "text":
      if (typeof value.text !== "string") fail(where, `a text step needs "text" (a string)`);
      break;
    case "tool_use": {
      if (!Array.isArray(value.calls) || value.calls.length === 0) fail(where, `a tool_use step needs "calls": [{name, input}, ...]`);
      value.calls.forEach((call: unknown, n: number) => {
        if (!isObject(call) || typeof call.name !== "string" || call.name === "") fail(where, `calls[${n}] needs a "name" (non-empty string)`);
        if (!isObject(call.input)) fail(where, `calls[${n}] ("${call.name}") needs an "input" object, got ${JSON.stringify(call.input)}`);
        optionalString(call, "id", `${where} calls[${n}]`);
      });
      optionalString(value, "text", where);
      break;
    }
    case "error":
      if (typeof value.status !== "number" || !Number.isInteger(value.status) || value.status < 400 || value.status > 599) {
        fail(where, `an error step needs "status", an HTTP error code 400-599; got ${JSON.stringify(value.status)}`);
      }
      optionalString(value, "errorType", where);
      optionalString(value, "message", where);
      optionalNumber(value, "retryAfterSeconds", where);
      if (value.inStream !== undefined && typeof value.inStream !== "boolean") fail(where, `"inStream" must be true or false`);
      break;
    case "drop":
      optionalString(value, "text", where);
      optionalNumber(value, "afterEvents", where);
      break;
    case "hang":
      optionalNumber(value, "afterEvents", where);
      break;
    case "empty":
      break;
  }
  return value as Step;
}

/** Checks a whole script (an array of steps). */
export function validateScript(value: unknown, where = "script"): Step[] {
  if (!Array.isArray(value)) fail(where, `a script must be an array of steps, got ${typeof value}`);
  return value.map((step, index) => validateStep(step, `${where}[${index}]`));
}
