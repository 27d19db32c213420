/** Linux MAX_ARG_STRLEN: one `NAME=value` string including its NUL; exec fails with E2BIG above it. */
export const MAX_ENV_STRING_BYTES = 128 * 1024;

/**
 * Linux also caps argv and envp together, at a quarter of the stack limit: 2 MiB with the
 * usual 8 MiB stack. Literal env may use half of that; the rest is for claude's arguments,
 * values that arrive by reference, and what the kubelet and the image add.
 */
export const MAX_ENV_TOTAL_BYTES = 1024 * 1024;

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** Whether `NAME=value` plus its terminating NUL fits one exec string. */
export function envStringFits(name: string, value: string): boolean {
  return utf8Length(`${name}=${value}`) + 1 <= MAX_ENV_STRING_BYTES;
}

/** What one `NAME=value` costs in the exec block, its NUL included. */
export function envStringBytes(name: string, value: string): number {
  return utf8Length(`${name}=${value}`) + 1;
}
