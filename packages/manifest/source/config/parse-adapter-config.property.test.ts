import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KNOWN_CONFIG_KEYS, parseAdapterConfig } from "./parse-adapter-config.ts";

const knownKey = fc.constantFrom(...KNOWN_CONFIG_KEYS, "command");

describe("parseAdapterConfig over anything", () => {
  it("never throws, and either accepts or explains every problem", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.dictionary(knownKey, fc.anything(), { maxKeys: 8 })), (raw) => {
        const result = parseAdapterConfig(raw);
        if (result.ok) return;
        expect(result.error.code).toBe("k8s_config_invalid");
        expect(result.issues.length).toBeGreaterThan(0);
        for (const issue of result.issues) {
          expect(issue.path).not.toBe("");
          expect(issue.expected).not.toBe("");
          expect(issue.received).not.toBe("");
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("accepts every value it produced (parsing is idempotent)", () => {
    fc.assert(
      fc.property(fc.dictionary(knownKey, fc.anything(), { maxKeys: 8 }), (raw) => {
        const first = parseAdapterConfig(raw);
        if (!first.ok) return;
        const second = parseAdapterConfig(first.config);
        expect(second.ok && second.config).toEqual(first.config);
      }),
      { numRuns: 500 },
    );
  });
});
