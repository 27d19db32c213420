import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { buildRunManifests } from "./build-run-manifests.ts";
import { AUTH_TOKEN, buildInput } from "./test-utils/fixtures.ts";
import { renderYaml } from "./yaml.ts";

const text = fc.string({ unit: "binary", maxLength: 30 }).filter((value) => !/[\uD800-\uDFFF]/.test(value));
const awkward = fc.constantFrom("", "yes", "No", "on", "null", "~", "true", "1.0", "0x1F", "1e3", "- a", "a: b", "#x", "a #b", "'", '"', "\n", "a\n", "a\n\n", " lead", "trail ", "a\n b", "\t", "---", "...", "@x", "`x", "%x", "*x", "&x", "!x", "|", ">", "é", "\u0085", "\u2028", "\uFEFF");
const leaf = fc.oneof(fc.oneof(text, awkward), fc.integer(), fc.boolean(), fc.constant(null));
const key = fc.oneof(text, awkward).filter((value) => value !== "__proto__");
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object")),
  array: fc.array(tie("node"), { maxLength: 4 }),
  object: fc.dictionary(key, tie("node"), { maxKeys: 4 }),
})).node;

describe("renderYaml", () => {
  it("round-trips any JSON-shaped value exactly, under YAML 1.2 and 1.1 readers", () => {
    fc.assert(
      // Wrapped in an object: a top-level array means "one document per item" to renderYaml.
      fc.property(tree, (value) => {
        const rendered = renderYaml({ root: value });
        expect(parse(rendered, { version: "1.2" })).toEqual({ root: value });
        expect(parse(rendered, { version: "1.1" })).toEqual({ root: value });
      }),
      { numRuns: 500 },
    );
  });

  it("writes multi-line text as a literal block when that is exact", () => {
    expect(renderYaml({ script: "set -e\nexec claude\n" })).toBe("script: |\n  set -e\n  exec claude\n");
    expect(renderYaml({ script: "a\nb" })).toBe("script: |-\n  a\n  b\n");
    expect(renderYaml({ script: "a \nb" })).toBe('script: "a \\nb"\n');
  });

  it("quotes what a reader would take for something else", () => {
    expect(renderYaml({ a: "yes", b: "1000m", c: "", d: "-c", e: "IfNotPresent" })).toBe(
      'a: "yes"\nb: "1000m"\nc: ""\nd: "-c"\ne: IfNotPresent\n',
    );
  });

  it("renders the run's Secrets then its Job, with Secret values redacted unless asked", () => {
    const manifests = buildRunManifests(buildInput());
    const rendered = renderYaml(manifests);
    const documents = parseAllDocuments(rendered).map((document) => document.toJS());
    expect(documents.map((document) => document.kind)).toEqual(["Secret", "Job"]);
    expect(documents[1]).toEqual(JSON.parse(JSON.stringify(manifests.job)));
    expect(rendered).not.toContain(Buffer.from(AUTH_TOKEN).toString("base64"));
    expect(documents[0].data["env.PAPERCLIP_API_KEY"]).toBe(`<redacted: ${AUTH_TOKEN.length} bytes>`);
    const shown = parseAllDocuments(renderYaml(manifests, { showSecretValues: true })).map((document) => document.toJS());
    expect(shown[0]).toEqual(manifests.secrets[0]);
  });

  it("refuses values YAML cannot carry faithfully", () => {
    expect(() => renderYaml({ n: Number.NaN })).toThrow(/cannot represent the number NaN/);
    expect(() => renderYaml({ f: () => 1 })).toThrow(/cannot represent a function/);
  });
});
