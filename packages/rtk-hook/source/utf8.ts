// Byte arithmetic on JS strings without encoding them: the budget is in UTF-8 bytes (what
// the API bills and what Claude Code measures), and a cut must never split a character.

// Node's native count when there is one (no copy, several times faster on large outputs); the
// loop below gives the same answer anywhere else.
const nativeByteLength = (globalThis as { Buffer?: { byteLength(text: string, encoding: "utf8"): number } }).Buffer?.byteLength;

/** UTF-8 length of a string. A lone surrogate counts 3 bytes, as TextEncoder writes U+FFFD for it. */
export function utf8ByteLength(text: string): number {
  return nativeByteLength ? nativeByteLength(text, "utf8") : countUtf8Bytes(text);
}

/** The portable count (exported for the property test that pins it to TextEncoder). */
export function countUtf8Bytes(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(index + 1))) {
      bytes += 4;
      index += 1;
    } else bytes += 3;
  }
  return bytes;
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Bytes of the code point starting at `index` (1-4) and how many UTF-16 units it spans. */
function codePointAt(text: string, index: number): { bytes: number; units: number } {
  const code = text.charCodeAt(index);
  if (code < 0x80) return { bytes: 1, units: 1 };
  if (code < 0x800) return { bytes: 2, units: 1 };
  if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(index + 1))) return { bytes: 4, units: 2 };
  return { bytes: 3, units: 1 };
}

/** The longest prefix of `text` that fits in `maxBytes` UTF-8 bytes, ending on a whole character. */
export function utf8Prefix(text: string, maxBytes: number): string {
  let bytes = 0;
  let index = 0;
  while (index < text.length) {
    const point = codePointAt(text, index);
    if (bytes + point.bytes > maxBytes) break;
    bytes += point.bytes;
    index += point.units;
  }
  return text.slice(0, index);
}

/** The longest suffix of `text` that fits in `maxBytes` UTF-8 bytes, starting on a whole character. */
export function utf8Suffix(text: string, maxBytes: number): string {
  let bytes = 0;
  let index = text.length;
  while (index > 0) {
    const low = text.charCodeAt(index - 1);
    const pair = isLowSurrogate(low) && index >= 2 && isHighSurrogate(text.charCodeAt(index - 2));
    const units = pair ? 2 : 1;
    const size = pair ? 4 : low < 0x80 ? 1 : low < 0x800 ? 2 : 3;
    if (bytes + size > maxBytes) break;
    bytes += size;
    index -= units;
  }
  return text.slice(index);
}
