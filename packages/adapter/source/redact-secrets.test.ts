import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRedactor, REDACTED } from "./redact-secrets.ts";

describe("redacting known secrets from the run log", () => {
  it("replaces a secret in plain text and inside stream-json, keeping the JSON valid", () => {
    const redact = createRedactor(['ghp_abc"def\\123', "sk-ant-0123456789"]);
    const line = JSON.stringify({ type: "user", content: 'token ghp_abc"def\\123 and sk-ant-0123456789' });
    const out = redact(line);
    expect(out).not.toContain("sk-ant-0123456789");
    expect(out).not.toContain(JSON.stringify('ghp_abc"def\\123').slice(1, -1));
    expect(JSON.parse(out).content).toBe(`token ${REDACTED} and ${REDACTED}`);
    expect(redact("echo sk-ant-0123456789")).toBe(`echo ${REDACTED}`);
  });

  it("keeps a line valid JSON when a secret follows an escape sequence", () => {
    const redact = createRedactor(["n12345678"]);
    const out = redact(JSON.stringify({ text: "a\nn12345678 n12345678" }));
    expect(JSON.parse(out)).toEqual({ text: `a\n${REDACTED} ${REDACTED}` });
    // "\n" + "12345678" holds the secret's characters only in its escaped form: no secret there.
    const escaped = JSON.stringify({ text: "a\n12345678" });
    expect(JSON.parse(redact(escaped))).toEqual({ text: "a\n12345678" });
  });

  it("leaves lines without secrets, and short values, alone", () => {
    const redact = createRedactor(["short", "a-long-secret-value"]);
    expect(redact("a short line")).toBe("a short line");
  });

  it("never lets a secret through, in any line, raw or JSON-escaped (property)", () => {
    const secret = fc.string({ minLength: 8, maxLength: 30 }).filter((text) => text.trim().length >= 8);
    fc.assert(
      fc.property(fc.array(secret, { minLength: 1, maxLength: 4 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }), (secrets, noise) => {
        const redact = createRedactor(secrets);
        const text = [...noise, ...secrets].join(" ");
        const plain = redact(text);
        const json = redact(JSON.stringify({ text }));
        for (const value of secrets) {
          if (REDACTED.includes(value)) continue;
          expect(plain.includes(value) && !REDACTED.includes(value)).toBe(false);
          expect(json.includes(JSON.stringify(value).slice(1, -1))).toBe(false);
        }
        expect(() => JSON.parse(json)).not.toThrow();
      }),
    );
  });
});
