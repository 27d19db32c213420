/**
 * What the kubelet does to env values, command and args before the process starts:
 * `$$` becomes `$`, `$(NAME)` becomes NAME's value when NAME is defined, anything else stays.
 * Tests run our commands through this to see exactly what the container would get.
 */
export function kubeletExpand(text: string, env: Record<string, string> = {}): string {
  let out = "";
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char !== "$" || index + 1 >= text.length) {
      out += char;
      continue;
    }
    const next = text[index + 1];
    if (next === "$") {
      out += "$";
      index++;
    } else if (next === "(") {
      const close = text.indexOf(")", index + 2);
      const name = close === -1 ? undefined : text.slice(index + 2, close);
      if (name !== undefined && Object.hasOwn(env, name)) {
        out += env[name];
        index = close;
      } else out += char;
    } else out += char;
  }
  return out;
}
