import { createHash } from "node:crypto";

/** First `length` hex digits of sha256 over the parts, NUL-separated so ("ab","c") != ("a","bc"). */
export function shortHash(parts: readonly string[], length: number): string {
  return createHash("sha256").update(parts.join("\0"), "utf8").digest("hex").slice(0, length);
}
