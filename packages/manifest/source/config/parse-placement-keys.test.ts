import { describe, expect, it } from "vitest";
import { issuesOf } from "../test-utils/config-issues.ts";
import { parseAdapterConfig, requireAdapterConfig } from "./parse-adapter-config.ts";

describe("placement keys", () => {
  it("read labels and nodeSelector as objects, JSON strings, or key=value lines", () => {
    const fromObject = requireAdapterConfig({ labels: { team: "platform" } }).config.labels;
    expect(fromObject).toEqual({ team: "platform" });
    expect(requireAdapterConfig({ labels: '{"team": "platform"}' }).config.labels).toEqual(fromObject);
    expect(requireAdapterConfig({ labels: "# comment\nteam = platform\n\n" }).config.labels).toEqual(fromObject);
    expect(requireAdapterConfig({ nodeSelector: "pool=agents\nzone=a" }).config.nodeSelector).toEqual({ pool: "agents", zone: "a" });
  });

  it("keep an explicitly empty nodeSelector (it opts out of inheriting the server's)", () => {
    expect(requireAdapterConfig({ nodeSelector: {} }).config.nodeSelector).toEqual({});
    expect(requireAdapterConfig({ nodeSelector: "" }).config.nodeSelector).toBeUndefined();
    expect(requireAdapterConfig({}).config.nodeSelector).toBeUndefined();
  });

  it("reject bad label keys and values, namespaces, pull policies and names", () => {
    expect(issuesOf({ labels: { team: "has space" } })[0]!.path).toBe("labels.team");
    expect(issuesOf({ labels: { "bad key!": "x" } })[0]!.path).toContain("labels key");
    expect(issuesOf({ nodeSelector: { pool: "-x" } })[0]!.path).toBe("nodeSelector.pool");
    expect(issuesOf({ namespace: "Agents" })[0]!.path).toBe("namespace");
    expect(issuesOf({ imagePullPolicy: "Sometimes" })[0]!.path).toBe("imagePullPolicy");
    expect(issuesOf({ serviceAccountName: "Bad_SA" })[0]!.path).toBe("serviceAccountName");
    expect(issuesOf({ imagePullSecrets: ["ok", "Not OK"] })[0]!.path).toBe("imagePullSecrets[1]");
    expect(issuesOf({ image: "has space:1" })[0]!.path).toBe("image");
  });

  it("drop user labels under reserved prefixes, with a warning", () => {
    const result = parseAdapterConfig({ labels: { "paperclip.io/run-id": "forged", "app.kubernetes.io/name": "x", team: "a" } });
    expect(result.ok && result.config.labels).toEqual({ team: "a" });
    expect(result.warnings).toHaveLength(2);
  });

  it("read pod annotations (any text as values) and a priority class", () => {
    const { config } = requireAdapterConfig({ podAnnotations: "sidecar.istio.io/inject=false", priorityClassName: "agents" });
    expect(config.podAnnotations).toEqual({ "sidecar.istio.io/inject": "false" });
    expect(config.priorityClassName).toBe("agents");
    expect(issuesOf({ podAnnotations: { "bad key!": "x" } })[0]!.path).toContain("podAnnotations key");
    expect(issuesOf({ podAnnotations: { big: "x".repeat(200_000) } })[0]!.path).toBe("podAnnotations");
    expect(issuesOf({ priorityClassName: "Not Valid" })[0]!.path).toBe("priorityClassName");
    expect(parseAdapterConfig({ podAnnotations: { "paperclip.io/run-id": "forged" } }).warnings[0]).toMatch(/dropped/);
  });

  it("refuse uid 0 (the restricted profile requires non-root)", () => {
    expect(issuesOf({ runAsUser: 0 })[0]!.path).toBe("runAsUser");
  });
});
