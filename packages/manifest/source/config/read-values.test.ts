import { describe, expect, it } from "vitest";
import { IssueList, isAbsent, readBoolean, readInteger, readStringArray, readStringMap } from "./read-values.ts";

describe("config value readers", () => {
  it("treat undefined, null and blank strings as not set", () => {
    for (const value of [undefined, null, "", "   "]) expect(isAbsent(value)).toBe(true);
    for (const value of [0, false, "x", [], {}]) expect(isAbsent(value)).toBe(false);
  });

  it("read key=value lines: comments and blank lines skipped, '=' allowed in values", () => {
    const issues = new IssueList();
    expect(readStringMap("# pools\npool = agents\n\nselector=a=b\r\nzone=", "labels", issues, "")).toEqual({ pool: "agents", selector: "a=b", zone: "" });
    expect(issues.issues).toEqual([]);
  });

  it("name the line of a broken key=value entry", () => {
    const issues = new IssueList();
    readStringMap("pool=agents\nnot a pair", "nodeSelector", issues, '{"pool": "agents"}');
    expect(issues.issues).toEqual([
      { path: "nodeSelector (line 2)", expected: "a key=value line", received: "a string of 10 characters", example: '{"pool": "agents"}' },
    ]);
  });

  it("quote a value only for keys that are never secret", () => {
    const issues = new IssueList();
    issues.add("env", "an object of environment variables", '{"GITHUB_TOKEN": "ghp_secretvalue"}');
    issues.add("mcpServers.github", "an MCP server spec object", "Bearer ghp_secretvalue");
    issues.add("extraArgs[0]", "a string", 42);
    issues.add("imagePullPolicy", "one of Always, IfNotPresent, Never", "Sometimes");
    issues.add("timeoutSec", "a whole number >= 0", -3);
    expect(issues.issues.map((issue) => issue.received)).toEqual([
      "a string of 35 characters",
      "a string of 22 characters",
      "a number",
      'the string "Sometimes"',
      "number -3",
    ]);
    expect(JSON.stringify(issues.issues)).not.toContain("ghp_secretvalue");
  });

  it("take integers from numbers and numeric strings only", () => {
    const issues = new IssueList();
    expect(readInteger("42", "n", issues, { min: 0 }, "1")).toBe(42);
    expect(readInteger("42.0", "n", issues, { min: 0 }, "1")).toBe(42);
    expect(issues.issues).toEqual([]);
    for (const bad of ["4 2", "0x10", "1e3", 1.5, true, [], Number.NaN, 2 ** 60]) readInteger(bad, "n", issues, { min: 0 }, "1");
    expect(issues.issues).toHaveLength(8);
  });

  it("take booleans from booleans and true/false strings only", () => {
    const issues = new IssueList();
    expect(readBoolean(" False ", "b", issues)).toBe(false);
    expect(readBoolean(1, "b", issues)).toBeUndefined();
    expect(readBoolean("yes", "b", issues)).toBeUndefined();
    expect(issues.issues).toHaveLength(2);
  });

  it("report each non-string item of an array by index", () => {
    const issues = new IssueList();
    expect(readStringArray(["a", 1, "b"], "extraArgs", issues, "")).toEqual(["a", "b"]);
    expect(issues.issues.map((issue) => issue.path)).toEqual(["extraArgs[1]"]);
  });
});
