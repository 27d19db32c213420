/** A parsed command line: flags by name (repeatable ones keep the last value), the rest positional. */
export interface ParsedArgs {
  flags: Map<string, string | true>;
  positional: string[];
}

export class UsageError extends Error {}

/**
 * `--name value`, `--name=value` and boolean `--name`; `-o` as `--output`. Unknown flags are
 * errors that list the known ones: a typo must not be silently ignored.
 */
export function parseArgs(argv: readonly string[], known: { values: readonly string[]; booleans: readonly string[] }): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    let arg = argv[index]!;
    if (arg === "-o") arg = "--output";
    if (arg === "-h") arg = "--help";
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const [rawName, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (known.booleans.includes(rawName) || rawName === "help") {
      flags.set(rawName, true);
      continue;
    }
    if (!known.values.includes(rawName)) {
      const all = [...known.values, ...known.booleans].map((name) => `--${name}`).join(", ");
      throw new UsageError(`unknown option --${rawName}${all ? ` (known: ${all})` : ""}`);
    }
    const value = inline ?? argv[++index];
    if (value === undefined) throw new UsageError(`--${rawName} needs a value`);
    flags.set(rawName, value);
  }
  return { flags, positional };
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  return typeof value === "string" ? value : undefined;
}
