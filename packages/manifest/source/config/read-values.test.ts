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
      { path: "nodeSelector (line 2)", expected: "a key=value line", received: 'the string "not a pair"', example: '{"pool": "agents"}' },
    ]);
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
