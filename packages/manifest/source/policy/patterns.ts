/**
 * The operator's allow lists: comma-separated entries, each a literal or a glob whose `*`
 * stands for any run of characters (`agents-*`, `ghcr.io/acme/*`, `*`). Whitespace around
 * entries is ignored; an empty list allows nothing.
 */
export function parsePatternList(text: string): string[] {
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/** Whether `value` matches one glob (`*` = any characters, everything else literal). */
export function matchesPattern(pattern: string, value: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === value;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!value.startsWith(first) || value.length < first.length + last.length) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = value.indexOf(part, at);
    if (found === -1 || found + part.length > end) return false;
    at = found + part.length;
  }
  return value.endsWith(last);
}

export function matchesAny(patterns: readonly string[], value: string): boolean {
  return patterns.some((pattern) => matchesPattern(pattern, value));
}
