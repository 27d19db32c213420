import { describe, expect, it } from "vitest";
import { issuesOf } from "../test-utils/config-issues.ts";
import { requireAdapterConfig } from "./parse-adapter-config.ts";

describe("env and inheritEnv", () => {
  it("accept resolved strings and plain bindings, taking numbers and booleans as text", () => {
    const { config } = requireAdapterConfig({ env: { A: "x", B: 3, C: true, D: { type: "plain", value: "d" }, E: "" } });
    expect(config.env).toEqual({ A: "x", B: "3", C: "true", D: "d", E: "" });
  });

  it("reject bad names, nested values, NUL characters and unresolved secret references", () => {
    expect(issuesOf({ env: { "1BAD": "x" } })[0]!.path).toBe("env.1BAD");
    expect(issuesOf({ env: { NESTED: { a: 1 } } })[0]!.path).toBe("env.NESTED");
    expect(issuesOf({ env: { NUL: "a\0b" } })[0]!.expected).toMatch(/without NUL/);
    expect(issuesOf({ env: { TOKEN: { type: "secret_ref", secretId: "s1" } } })[0]!.expected).toMatch(/resolved value/);
    expect(issuesOf({ env: "A=b" })[0]!.path).toBe("env");
  });

  it("take inheritEnv as names or PREFIX_* patterns", () => {
    expect(requireAdapterConfig({ inheritEnv: ["NODE_ENV", "OTEL_*"] }).config.inheritEnv).toEqual(["NODE_ENV", "OTEL_*"]);
    expect(issuesOf({ inheritEnv: ["*"] })[0]!.path).toBe("inheritEnv[0]");
    expect(issuesOf({ inheritEnv: ["bad name"] })[0]!.path).toBe("inheritEnv[0]");
  });
});
