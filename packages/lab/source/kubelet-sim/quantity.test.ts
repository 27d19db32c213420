import { describe, expect, it } from "vitest";
import { parseQuantity } from "./quantity.ts";

describe("parseQuantity", () => {
  it.each([
    ["512Mi", 512 * 1024 * 1024],
    ["1Gi", 1024 ** 3],
    ["8G", 8e9],
    ["250m", 0.25],
    ["2", 2],
    ["0.5", 0.5],
    ["1e3", 1000],
    ["100k", 100_000],
  ])("%s is %d", (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 9);
  });

  it("passes numbers through", () => {
    expect(parseQuantity(3)).toBe(3);
  });

  it("names a malformed quantity", () => {
    expect(() => parseQuantity("12 apples")).toThrow(/not a Kubernetes quantity: "12 apples"/);
  });
});
