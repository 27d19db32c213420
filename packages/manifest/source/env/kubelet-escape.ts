/**
 * The kubelet expands `$(NAME)` in env values, command and args, and turns `$$` into `$`.
 * Doubling every `$` makes a string reach the process exactly as written, whatever it holds.
 */
export function escapeKubeletExpansion(text: string): string {
  return text.replaceAll("$", "$$$$");
}
