// Terminal noise the model cannot use: colour codes and progress redraws. Both are common in
// build and install logs and cost tokens for nothing.

// CSI (ESC [ ... final byte), OSC (ESC ] ... BEL or ESC \), and two-byte ESC sequences; also
// the 8-bit CSI (0x9B) some tools emit.
const ansiPattern = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.includes("\u001b") || text.includes("\u009b") ? text.replace(ansiPattern, "") : text;
}

/**
 * A line redrawn with carriage returns (progress bars, spinners) shows only its last state on
 * a terminal; keep just that. A CR right before the newline (CRLF) is a line ending, not a redraw.
 */
export function resolveCarriageReturns(text: string): string {
  if (!text.includes("\r")) return text;
  return text
    .split("\n")
    .map((line) => {
      const body = line.endsWith("\r") ? line.slice(0, -1) : line;
      const last = body.lastIndexOf("\r");
      return last === -1 ? line : body.slice(last + 1);
    })
    .join("\n");
}
