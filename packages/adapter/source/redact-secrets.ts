/**
 * Replaces the secret values this run knows (its token, the credentials in its Secret) in
 * lines forwarded to Paperclip's run log: an agent that prints its environment, or a tool
 * that echoes a header, must not put them into a log every board member can read. Values
 * are also matched in their JSON-escaped form, so stream-json lines stay valid JSON.
 */
export const REDACTED = "[redacted by claude-k8s]";

/** Shorter values would hit ordinary text by chance; no credential is that short. */
const MIN_SECRET_LENGTH = 8;

export function createRedactor(secrets: Iterable<string>): (line: string) => string {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    needles.add(secret);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) needles.add(escaped);
  }
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (line) => line;
  const replaceIn = (text: string) => {
    let result = text;
    for (const needle of ordered) if (result.includes(needle)) result = result.split(needle).join(REDACTED);
    return result;
  };
  return (line) => {
    const replaced = replaceIn(line);
    if (replaced === line || !line.startsWith("{")) return replaced;
    // A match could start inside an escape sequence (`\n` + secret): redact the decoded
    // strings instead, so the line stays one valid JSON event.
    try {
      return JSON.stringify(redactStrings(JSON.parse(line), replaceIn));
    } catch {
      return replaced;
    }
  };
}

function redactStrings(value: unknown, replaceIn: (text: string) => string): unknown {
  if (typeof value === "string") return replaceIn(value);
  if (Array.isArray(value)) return value.map((item) => redactStrings(item, replaceIn));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [replaceIn(key), redactStrings(item, replaceIn)]));
  }
  return value;
}
