import { describe, expect, it } from "vitest";
import { apiError, text, toolUse } from "./steps.ts";
import { validateScript, validateStep } from "./validate-step.ts";

describe("validateStep", () => {
  it("accepts what the constructors build", () => {
    const steps = [text("hi"), toolUse("Bash", { command: "ls" }, { text: "Running." }), apiError(429, { retryAfterSeconds: 2, repeat: "forever" })];
    expect(validateScript(steps)).toEqual(steps);
  });

  it.each([
    [{ kind: "txt", text: "a" }, /script\[0\]: "kind" must be one of text, tool_use, error, drop, hang, empty; got "txt"/],
    [{ kind: "text" }, /needs "text"/],
    [{ kind: "tool_use", calls: [] }, /needs "calls"/],
    [{ kind: "tool_use", calls: [{ name: "Bash", input: "ls" }] }, /calls\[0\] \("Bash"\) needs an "input" object, got "ls"/],
    [{ kind: "error", status: 200 }, /HTTP error code 400-599; got 200/],
    [{ kind: "text", text: "a", repeat: 0 }, /"repeat" must be an integer >= 1 or "forever", got 0/],
    [{ kind: "drop", afterEvents: -1 }, /"afterEvents" must be a number >= 0/],
    ["text", /a step must be an object/],
  ])("rejects %j, naming the field", (step, message) => {
    expect(() => validateScript([step])).toThrow(message);
  });

  it("refuses a script that is not an array", () => {
    expect(() => validateScript({ kind: "text", text: "a" }, "demo.json")).toThrow(/demo.json: a script must be an array of steps/);
  });

  it("names the caller's location", () => {
    expect(() => validateStep({ kind: "error" }, "script(request 3)")).toThrow(/^model-server: script\(request 3\): /);
  });
});
