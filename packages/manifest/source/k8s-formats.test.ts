import { describe, expect, it } from "vitest";
import { isDns1123Label, isDns1123Subdomain, isEnvVarName, isLabelValue, isQualifiedName, parseQuantity } from "./k8s-formats.ts";

describe("Kubernetes formats", () => {
  it("parses quantities as the API server reads them", () => {
    expect(parseQuantity("500m")).toBe(0.5);
    expect(parseQuantity("2Gi")).toBe(2 * 2 ** 30);
    expect(parseQuantity("1.5")).toBe(1.5);
    expect(parseQuantity("1e3")).toBe(1000);
    expect(parseQuantity("1536Mi")! < parseQuantity("2Gi")!).toBe(true);
    for (const bad of ["", "lots", "1 Gi", "1gi", "Gi"]) expect(parseQuantity(bad)).toBeUndefined();
  });

  it("checks names, label keys and values, and env names", () => {
    expect(isDns1123Label("ac-agent-1")).toBe(true);
    expect(isDns1123Label("Agent")).toBe(false);
    expect(isDns1123Label("a".repeat(64))).toBe(false);
    expect(isDns1123Subdomain("paperclip.data-1")).toBe(true);
    expect(isDns1123Subdomain("a..b")).toBe(false);
    expect(isQualifiedName("paperclip.io/agent-id")).toBe(true);
    expect(isQualifiedName("Paperclip.io/agent-id")).toBe(false);
    expect(isQualifiedName("x/y/z")).toBe(false);
    expect(isLabelValue("")).toBe(true);
    expect(isLabelValue("-x")).toBe(false);
    expect(isEnvVarName("npm_config_cache")).toBe(true);
    expect(isEnvVarName("1X")).toBe(false);
  });
});
