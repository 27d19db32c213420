/** Linux MAX_ARG_STRLEN: one `NAME=value` string including its NUL; exec fails with E2BIG above it. */
export const MAX_ENV_STRING_BYTES = 128 * 1024;

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** Whether `NAME=value` plus its terminating NUL fits one exec string. */
export function envStringFits(name: string, value: string): boolean {
  return utf8Length(`${name}=${value}`) + 1 <= MAX_ENV_STRING_BYTES;
}
