// The `claude-stream` command, as a function of its arguments and I/O (so tests run it in-process).
// CLI code: it may read files; the library modules it uses do not.
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { classifyOutcome } from "./outcome.ts";
import { createStreamParser } from "./parser.ts";
import { formatEvent } from "./pretty.ts";
import type { RunSummary } from "./summary.ts";

export interface CliIo {
  /** Writes to stdout; may return a promise to apply back-pressure. */
  write(text: string): void | Promise<void>;
  error(text: string): void;
  stdin: AsyncIterable<Uint8Array | string>;
  /** Whether stdout is a terminal (colour is used only then). */
  isTTY: boolean;
  env: Record<string, string | undefined>;
}

/** Exit status for bad usage or unreadable input. */
export const EXIT_USAGE = 2;
/** Exit status of `summary --fail-on-error` when the run's outcome is not a success. */
export const EXIT_FAILED_OUTCOME = 1;

export const USAGE = `Usage:
  claude-stream summary <file|-> [--exit-code N] [--stderr FILE] [--fail-on-error]
  claude-stream pretty <file|->
  claude-stream --help

Reads Claude Code stream-json output (claude --print --output-format stream-json --verbose)
from a file, or from stdin when the file is "-".

  summary   prints one JSON object: session, model, turns, duration, cost, token usage,
            per-model usage, API retries, the summary text and the outcome
            {code, errorFamily?, retryNotBefore?, loginUrl?, clearSession?, message}.
            --exit-code N   the CLI's exit status (0-255), used to classify the outcome
            --stderr FILE   the CLI's stderr, used to classify the outcome
            --fail-on-error exit 1 when the outcome is not a success (for scripts)
  pretty    prints a readable transcript (coloured on a terminal; NO_COLOR turns colour off).

Exit status: 0 when the input was read (whatever the outcome, unless --fail-on-error),
1 with --fail-on-error when the outcome is not a success, 2 for bad arguments or
unreadable input.`;

class UsageError extends Error {}

interface SummaryArgs {
  command: "summary";
  input: string;
  exitCode: number | null;
  stderrFile: string | null;
  failOnError: boolean;
}
interface PrettyArgs {
  command: "pretty";
  input: string;
}
type Args = SummaryArgs | PrettyArgs | { command: "help" };

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.error(`claude-stream: ${error.message}\nRun claude-stream --help for usage.\n`);
    return EXIT_USAGE;
  }
  if (args.command === "help") {
    await io.write(`${USAGE}\n`);
    return 0;
  }
  try {
    if (args.command === "summary") {
      const outcome = await summaryCommand(args, io);
      return args.failOnError && outcome !== "success" ? EXIT_FAILED_OUTCOME : 0;
    }
    await prettyCommand(args, io);
    return 0;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.error(`claude-stream: ${error.message}\n`);
    return EXIT_USAGE;
  }
}

function parseArgs(argv: readonly string[]): Args {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError("missing command: expected summary or pretty.");
  if (command === "--help" || command === "-h" || command === "help") return { command: "help" };
  if (command !== "summary" && command !== "pretty") {
    throw new UsageError(`unknown command ${JSON.stringify(command)}: expected summary or pretty.`);
  }
  const positionals: string[] = [];
  let exitCode: number | null = null;
  let stderrFile: string | null = null;
  let failOnError = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--help" || arg === "-h") return { command: "help" };
    if (arg === "-" || !arg.startsWith("-")) {
      positionals.push(arg);
      continue;
    }
    if (command === "summary" && arg === "--fail-on-error") {
      failOnError = true;
      continue;
    }
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (command === "summary" && (flag === "--exit-code" || flag === "--stderr")) {
      const value = inline ?? rest[++i];
      if (value === undefined || value === "") throw new UsageError(`${flag} needs a value: ${flag === "--exit-code" ? "--exit-code 1" : "--stderr run.stderr"}.`);
      if (flag === "--exit-code") exitCode = parseExitCode(value);
      else stderrFile = value;
      continue;
    }
    const known = command === "summary" ? "--exit-code N, --stderr FILE, --fail-on-error, --help" : "--help";
    throw new UsageError(`unknown option ${JSON.stringify(arg)} for claude-stream ${command}; it takes ${known}.`);
  }
  if (positionals.length === 0) throw new UsageError(`missing input: claude-stream ${command} <file|->  (use - for stdin).`);
  if (positionals.length > 1) throw new UsageError(`expected one input, got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p)).join(" ")}.`);
  const input = positionals[0]!;
  return command === "summary" ? { command, input, exitCode, stderrFile, failOnError } : { command, input };
}

function parseExitCode(value: string): number {
  if (!/^\d{1,3}$/.test(value) || Number(value) > 255) {
    throw new UsageError(`--exit-code must be the CLI's exit status, a whole number from 0 to 255; got ${JSON.stringify(value)}.`);
  }
  return Number(value);
}

class InputError extends Error {}

async function* readInput(input: string, io: CliIo): AsyncIterable<Uint8Array | string> {
  if (input === "-") {
    yield* io.stdin;
    return;
  }
  try {
    yield* createReadStream(input, { highWaterMark: 64 * 1024 });
  } catch (error) {
    throw new InputError(`cannot read ${JSON.stringify(input)}: ${describeFsError(error)}. Pass a readable stream-json file, or - for stdin.`);
  }
}

/** Prints the summary; answers the outcome's code. */
async function summaryCommand(args: SummaryArgs, io: CliIo): Promise<string> {
  let stderr = "";
  if (args.stderrFile !== null) {
    try {
      stderr = await readFile(args.stderrFile, "utf8");
    } catch (error) {
      throw new InputError(`cannot read --stderr ${JSON.stringify(args.stderrFile)}: ${describeFsError(error)}.`);
    }
  }
  const parser = createStreamParser();
  for await (const chunk of readInput(args.input, io)) parser.write(chunk);
  parser.end();
  const summary = parser.summary();
  const outcome = classifyOutcome({ summary, exitCode: args.exitCode, stderr });
  await io.write(`${JSON.stringify({ ...summaryFields(summary), outcome }, null, 2)}\n`);
  return outcome.code;
}

/** The public JSON shape of `claude-stream summary` (documented in the README; keep the names). */
function summaryFields(summary: RunSummary) {
  return {
    sessionId: summary.sessionId,
    model: summary.model,
    models: summary.models,
    numTurns: summary.numTurns,
    durationMs: summary.durationMs,
    costUsd: summary.costUsd,
    usage: summary.usage,
    modelUsage: summary.modelUsage,
    apiRetries: summary.apiRetries,
    permissionDenials: summary.permissionDenials,
    rateLimits: summary.rateLimits,
    summary: summary.summary,
  };
}

async function prettyCommand(args: PrettyArgs, io: CliIo): Promise<void> {
  const color = io.isTTY && !io.env.NO_COLOR;
  const parser = createStreamParser();
  const print = async (events: ReturnType<typeof parser.write>): Promise<void> => {
    const lines = events.flatMap((event) => formatEvent(event, { color }));
    if (lines.length > 0) await io.write(`${lines.join("\n")}\n`);
  };
  for await (const chunk of readInput(args.input, io)) await print(parser.write(chunk));
  await print(parser.end());
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: string })?.code;
  const reasons: Record<string, string> = {
    ENOENT: "no such file",
    EACCES: "permission denied",
    EISDIR: "it is a directory",
    ENOTDIR: "a part of the path is not a directory",
  };
  if (code && reasons[code]) return `${reasons[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
