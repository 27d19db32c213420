/**
 * A small YAML emitter for manifests (JSON-shaped data: objects, arrays, strings, finite
 * numbers, booleans, null), for people reading `claude-k8s render`. Strings are plain only
 * when no YAML 1.1 or 1.2 reader could take them for anything else; multi-line strings use
 * literal blocks when that is exact, else double quotes with escapes.
 */

export interface RenderYamlOptions {
  /**
   * Show Secret values. Default false: `data` values are replaced by a size note, because the
   * Secret holds the run's credentials and rendered manifests end up in terminals and tickets.
   */
  showSecretValues?: boolean;
}

/** One document per manifest, `---` between them. Accepts RunManifests, an array, or one object. */
export function renderYaml(input: unknown, options: RenderYamlOptions = {}): string {
  const documents = toDocuments(input).map((document) => (options.showSecretValues ? document : redactSecret(document)));
  return documents.map((document) => emitDocument(document)).join("---\n");
}

function toDocuments(input: unknown): unknown[] {
  if (Array.isArray(input)) return input;
  if (isRecord(input) && isRecord(input.job) && Array.isArray(input.secrets)) return [...input.secrets, input.job];
  return [input];
}

function redactSecret(document: unknown): unknown {
  if (!isRecord(document) || document.kind !== "Secret" || !isRecord(document.data)) return document;
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(document.data)) {
    const bytes = typeof value === "string" ? Math.floor((value.replace(/=+$/, "").length * 3) / 4) : 0;
    data[key] = `<redacted: ${bytes} bytes>`;
  }
  return { ...document, data };
}

function emitDocument(value: unknown): string {
  if (isRecord(value) && Object.keys(value).length > 0) return emitMapping(value, 0);
  if (Array.isArray(value) && value.length > 0) return emitSequence(value, 0);
  return `${scalar(value, 2)}\n`;
}

function emitMapping(map: Record<string, unknown>, indent: number): string {
  const pad = " ".repeat(indent);
  let out = "";
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined) continue;
    const renderedKey = quoteIfNeeded(key);
    if (isRecord(value) && Object.keys(value).length > 0) {
      out += `${pad}${renderedKey}:\n${emitMapping(value, indent + 2)}`;
    } else if (Array.isArray(value) && value.length > 0) {
      out += `${pad}${renderedKey}:\n${emitSequence(value, indent)}`;
    } else {
      out += `${pad}${renderedKey}: ${scalar(value, indent + 2)}\n`;
    }
  }
  return out;
}

function emitSequence(items: readonly unknown[], indent: number): string {
  const pad = " ".repeat(indent);
  let out = "";
  for (const item of items) {
    if (isRecord(item) && Object.keys(item).length > 0) {
      // The first key goes on the dash line; the rest align under it.
      const body = emitMapping(item, indent + 2);
      out += `${pad}- ${body.slice(indent + 2)}`;
    } else if (Array.isArray(item) && item.length > 0) {
      out += `${pad}-\n${emitSequence(item, indent + 2)}`;
    } else {
      out += `${pad}- ${scalar(item, indent + 2)}\n`;
    }
  }
  return out;
}

function scalar(value: unknown, indent: number): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`renderYaml cannot represent the number ${value}`);
    return String(value);
  }
  if (typeof value === "string") return stringScalar(value, indent);
  if (Array.isArray(value)) return "[]";
  if (isRecord(value)) return "{}";
  throw new TypeError(`renderYaml cannot represent a ${typeof value}`);
}

function stringScalar(value: string, indent: number): string {
  if (value.includes("\n") && canUseLiteralBlock(value)) return literalBlock(value, indent);
  return quoteIfNeeded(value);
}

/** Words YAML 1.1 readers (and some 1.2 ones) turn into booleans or null. */
const RESERVED_WORDS = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;
const PLAIN_SAFE = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;

function quoteIfNeeded(value: string): string {
  if (PLAIN_SAFE.test(value) && !RESERVED_WORDS.test(value)) return value;
  return doubleQuoted(value);
}

function doubleQuoted(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '"') out += '\\"';
    else if (char === "\\") out += "\\\\";
    else if (char === "\n") out += "\\n";
    else if (char === "\t") out += "\\t";
    else if (char === "\r") out += "\\r";
    else if (isNonPrintable(code)) out += code <= 0xffff ? `\\u${hex(code, 4)}` : `\\U${hex(code, 8)}`;
    else out += char;
  }
  return `${out}"`;
}

/** Characters YAML does not allow unescaped (outside its printable set), plus line separators. */
function isNonPrintable(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0xd800 && code <= 0xdfff) ||
    code === 0xfeff ||
    code === 0xfffe ||
    code === 0xffff
  );
}

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, "0");
}

/**
 * A literal block keeps text exactly only when every line is printable, no line ends in
 * whitespace (a reader may not keep it), and the first line does not start with a space
 * (that would need an indentation indicator).
 */
function canUseLiteralBlock(value: string): boolean {
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char !== "\n" && (char === "\t" || isNonPrintable(code))) return false;
  }
  if (value.startsWith(" ") || value.startsWith("\n")) return false;
  return value.split("\n").every((line) => !/\s$/.test(line));
}

function literalBlock(value: string, indent: number): string {
  const trailing = value.length - value.replace(/\n+$/, "").length;
  const chomp = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
  const body = trailing === 0 ? value : value.slice(0, value.length - (chomp === "+" ? 1 : trailing));
  const pad = " ".repeat(indent);
  const lines = body.split("\n").map((line) => (line === "" ? "" : `${pad}${line}`));
  return `|${chomp}\n${lines.join("\n")}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
