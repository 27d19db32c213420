// claude-rtk-hook: the PostToolUse hook itself (no subcommand: event on stdin), plus
// install / uninstall / settings-json. Built into one self-contained file (dist/cli.cjs) that
// the adapter copies into pods and `install` copies next to the settings file.
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { addTranscript, describeGain, emptyGain } from "./gain.ts";
import { hookAnswer, parseHookEvent, persistedOutputPath, preToolUseAnswer } from "./hook-event.ts";
import { defaultMaxBytes, defaultPersistedMaxBytes, defaultTargetBytes, minimumBudget, resolveOptions } from "./options.ts";
import { reduceOutputFiles } from "./reduce-output-files.ts";
import { hookName, installHook, settingsDocument, shellQuote, uninstallHook } from "./settings.ts";
import { lineDiff } from "./text-diff.ts";

const usage = `usage: ${hookName} [BUDGETS]   run as a Claude Code PreToolUse or PostToolUse hook (event on stdin)
       ${hookName} install [--settings FILE] [--dry-run] [BUDGETS] [--command CMD]
       ${hookName} uninstall [--settings FILE] [--dry-run]
       ${hookName} settings-json [BUDGETS] [--command CMD]
       ${hookName} gain [--days N]   bytes the hook cut in recent sessions (Claude Code's transcripts)
       ${hookName} reduce-output [BUDGETS] DIR   (the rewritten Bash command runs this)
BUDGETS: [--max-bytes N] [--target-bytes N] [--persisted-max-bytes N]

Cuts large tool outputs (Bash, Read, MCP tools, ...) before the model sees them: head and
tail kept, error and warning lines kept, ANSI codes and repeated lines removed, a marker
saying what was cut and where the full output is. As a PreToolUse hook it rewrites Bash
commands so that their output, failing or not, is reduced before Claude reads it (the full
output is saved to a file named in the marker; exit status, cwd and env are kept). Never
breaks a tool call: on any problem it prints nothing and explains on stderr.

  --max-bytes N      budget per tool result in UTF-8 bytes (default ${defaultMaxBytes}, min ${minimumBudget});
                     Bash results are also kept under Claude Code's own inline limit
                     (30000 characters, or BASH_MAX_OUTPUT_LENGTH) so the model sees them
  --persisted-max-bytes N
                     budget for head, tail and marker of a Bash output Claude saved to a
                     file because it passed that limit (default ${defaultPersistedMaxBytes}, at most --max-bytes);
                     the marker names the file, which the model can Read, and every error
                     and warning line (look-alikes folded) is kept on top of this budget,
                     up to that limit
  --target-bytes N   what a Bash output run through the rewrite aims at (default ${defaultTargetBytes},
                     at most --max-bytes): its full output is saved to a file the marker
                     names, and every error and warning line is kept on top of it, up to
                     --max-bytes
  --settings FILE    settings file to change (default: $CLAUDE_CONFIG_DIR/settings.json,
                     else ~/.claude/settings.json); every other setting and hook is kept
  --command CMD      hook command to register (for install it must contain "${hookName}",
                     which is how uninstall finds it); default for
                     install: copy this file to <settings dir>/hooks/${hookName}.cjs and run
                     it with node; default for settings-json: "${hookName}" on PATH
  --dry-run          install / uninstall: print the change to the settings file as a diff, write nothing
  --days N           gain: sessions whose transcript changed in the last N days (default 30)
  -h, --help         this text

install and uninstall are idempotent and write atomically (temp file, then rename).
settings-json prints a document for \`claude --settings '<json>'\` (one run, no file changed).`;

const maxPersistedBytes = 64 * 1024 * 1024;

class UsageError extends Error {}

function readStdin(): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on("data", (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on("end", () => resolvePromise(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

type Budgets = { maxBytes: number | undefined; persistedMaxBytes: number | undefined; targetBytes: number | undefined };
type BudgetFlags = { "max-bytes"?: string | undefined; "persisted-max-bytes"?: string | undefined; "target-bytes"?: string | undefined };

function parseBudget(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < minimumBudget) {
    throw new UsageError(`${flag} must be an integer >= ${minimumBudget}, got ${JSON.stringify(value)}`);
  }
  return number;
}

function parseBudgets(values: BudgetFlags): Budgets {
  return {
    maxBytes: parseBudget("--max-bytes", values["max-bytes"]),
    persistedMaxBytes: parseBudget("--persisted-max-bytes", values["persisted-max-bytes"]),
    targetBytes: parseBudget("--target-bytes", values["target-bytes"]),
  };
}

/** The hook command with the budgets the user chose (defaults are left to the hook). */
function withBudgets(base: string, budgets: Budgets): string {
  const flags = [
    ...(budgets.maxBytes === undefined ? [] : [`--max-bytes ${budgets.maxBytes}`]),
    ...(budgets.persistedMaxBytes === undefined ? [] : [`--persisted-max-bytes ${budgets.persistedMaxBytes}`]),
    ...(budgets.targetBytes === undefined ? [] : [`--target-bytes ${budgets.targetBytes}`]),
  ];
  return [base, ...flags].join(" ");
}

/** Claude Code's inline limit for Bash output, when the user raised or lowered it. */
function inlineLimitFromEnv(): number | undefined {
  const value = process.env.BASH_MAX_OUTPUT_LENGTH;
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Math.max(Number(value), minimumBudget);
}

/** The options the budgets give, defaults filled in; the persisted and target budgets never exceed the main one. */
function reduceOptionsFor(budgets: Budgets) {
  const maxBytes = budgets.maxBytes ?? defaultMaxBytes;
  return {
    maxBytes: budgets.maxBytes,
    persistedMaxBytes: Math.min(budgets.persistedMaxBytes ?? defaultPersistedMaxBytes, maxBytes),
    targetBytes: Math.min(budgets.targetBytes ?? defaultTargetBytes, maxBytes),
    inlineLimit: inlineLimitFromEnv(),
  };
}

/** This file: __filename in the built CommonJS bin (a path with any characters), import.meta.url from sources. */
const ownFile = typeof __filename === "string" ? __filename : fileURLToPath(import.meta.url);

/** This very bin as a shell command (the rewritten Bash command calls it back), with the budgets it was given. */
function ownCommand(budgets: Budgets): string {
  return withBudgets(`${shellQuote(process.execPath)} ${shellQuote(ownFile)}`, budgets);
}

async function runHook(budgetFlags: BudgetFlags): Promise<void> {
  // Whatever happens, Claude's tool call goes on: nothing on stdout, exit 0, reason on stderr.
  // A reader that went away (EPIPE) must not turn into a crash with a stack trace either.
  process.stdout.on("error", (error) => process.stderr.write(`${hookName}: could not write the answer: ${error.message}\n`));
  try {
    const budgets = parseBudgets(budgetFlags);
    const event = parseHookEvent(await readStdin());
    if (!event) return;
    if (event.hook_event_name === "PreToolUse") {
      const { stdout } = preToolUseAnswer(event, ownCommand(budgets));
      if (stdout) process.stdout.write(stdout);
      return;
    }
    const path = persistedOutputPath(event);
    let fullOutput: string | undefined;
    if (path !== undefined) {
      try {
        if (statSync(path).size <= maxPersistedBytes) fullOutput = readFileSync(path, "utf8");
      } catch (error) {
        process.stderr.write(`${hookName}: could not read the persisted output ${path} (${(error as Error).message}); cutting Claude's truncated copy instead\n`);
      }
    }
    // --max-bytes 5000 alone means 5000 everywhere.
    const options = resolveOptions({ ...reduceOptionsFor(budgets), fullOutput });
    const { stdout } = hookAnswer(event, options);
    if (stdout) process.stdout.write(stdout);
  } catch (error) {
    process.stderr.write(`${hookName}: left the tool output unchanged: ${(error as Error).message}\n`);
  }
}

function defaultSettingsFile(): string {
  const configDir = process.env.CLAUDE_CONFIG_DIR || join(homedir(), ".claude");
  return join(configDir, "settings.json");
}

function readSettings(file: string): { text: string; settings: unknown } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { text: "", settings: {} };
    throw new Error(`cannot read ${file} (${(error as Error).message}); make it a file you can read, or pass another with --settings`);
  }
  if (text.trim() === "") return { text, settings: {} };
  try {
    return { text, settings: JSON.parse(text) };
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); fix or move it, then run again`);
  }
}

/** Applies a settings change: written atomically, or shown as a diff with --dry-run. */
function applySettings(file: string, before: string, next: unknown, dryRun: boolean): void {
  const after = `${JSON.stringify(next, null, 2)}\n`;
  if (dryRun) {
    process.stdout.write(after === before ? "" : `--- ${file}\n+++ ${file} (after)\n${lineDiff(before, after)}`);
    process.stderr.write(`${hookName}: dry run, ${file} ${after === before ? "would not change" : "not written"}\n`);
    return;
  }
  if (after !== before) writeAtomically(file, after);
}

/** Settings errors name the file: "hooks must be an object" alone does not say which file to fix. */
function mergeOrExplain<T>(file: string, merge: () => T): T {
  try {
    return merge();
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

/**
 * Writes next to the target, then renames: a crash never leaves a half-written settings file.
 * A settings file that is a symbolic link (dotfile managers make them) stays one: the file
 * it points at is the one replaced.
 */
function writeAtomically(link: string, text: string): void {
  let file = link;
  try {
    file = realpathSync(link);
  } catch {
    // Not there yet (or a dangling link, which the rename then replaces): written as named.
  }
  mkdirSync(dirname(file), { recursive: true });
  let mode: number | undefined;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    mode = undefined;
  }
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temp, text, { mode: mode ?? 0o644 });
    if (mode !== undefined) chmodSync(temp, mode);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** The running bin's own file, when it is the built single file (copyable); undefined from sources. */
function ownBuiltFile(): string | undefined {
  const file = ownFile;
  return /\.(?:c|m)?js$/.test(file) ? file : undefined;
}

// CommonJS (.cjs): node needs the extension, no package.json travels with the copy.
const installedCopy = (settingsFile: string) => join(dirname(settingsFile), "hooks", `${hookName}.cjs`);
/** Where earlier versions (an ES module bin) put the copy; removed when found. */
const earlierCopy = (settingsFile: string) => join(dirname(settingsFile), "hooks", `${hookName}.mjs`);

function install(settingsFile: string, budgets: Budgets, command: string | undefined, dryRun: boolean): void {
  const { text, settings } = readSettings(settingsFile);
  const self = command === undefined ? ownBuiltFile() : undefined;
  if (command === undefined && !self) throw new UsageError("install from sources needs --command (or run the built bin: dist/cli.cjs)");
  const copy = installedCopy(settingsFile);
  const full = withBudgets(command ?? `node ${shellQuote(copy)}`, budgets);
  // Merged before anything is written: settings it cannot merge leave no file behind.
  const next = mergeOrExplain(settingsFile, () => installHook(settings, full));
  if (self && !dryRun) {
    mkdirSync(dirname(copy), { recursive: true });
    // A stable copy: npx caches are pruned, and the hook must outlive this process.
    if (resolve(self) !== resolve(copy)) copyFileSync(self, copy);
  }
  applySettings(settingsFile, text, next, dryRun);
  if (dryRun) return;
  // An earlier install's copy, which the settings no longer name.
  if (!full.includes(earlierCopy(settingsFile))) rmSync(earlierCopy(settingsFile), { force: true });
  process.stderr.write(`${hookName}: installed in ${settingsFile} (PreToolUse for Bash, PostToolUse for every tool): ${full}\n`);
}

function uninstall(settingsFile: string, dryRun: boolean): void {
  const { text, settings } = readSettings(settingsFile);
  const next = mergeOrExplain(settingsFile, () => uninstallHook(settings));
  const installed = JSON.stringify(next) !== JSON.stringify(settings);
  if (installed || dryRun) applySettings(settingsFile, text, next, dryRun);
  if (dryRun) return;
  rmSync(installedCopy(settingsFile), { force: true });
  rmSync(earlierCopy(settingsFile), { force: true });
  process.stderr.write(installed ? `${hookName}: removed from ${settingsFile}\n` : `${hookName}: not installed in ${settingsFile}, nothing to remove\n`);
}

function transcripts(dir: string, since: number): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...transcripts(path, since));
    else if (entry.name.endsWith(".jsonl") && statSync(path).mtimeMs >= since) files.push(path);
  }
  return files;
}

function gain(days: number): void {
  const projects = join(process.env.CLAUDE_CONFIG_DIR || join(homedir(), ".claude"), "projects");
  let files: string[];
  try {
    files = transcripts(projects, Date.now() - days * 86_400_000);
  } catch (error) {
    throw new Error(`cannot read Claude Code's transcripts in ${projects} (${(error as Error).message}); run Claude Code once, or set CLAUDE_CONFIG_DIR to its configuration directory`);
  }
  const total = emptyGain();
  for (const file of files) addTranscript(total, readFileSync(file, "utf8"));
  process.stdout.write(`${describeGain(total, files.length, days)}\n`);
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  const parse = () =>
    parseArgs({
      allowPositionals: true,
      options: {
        "max-bytes": { type: "string" },
        "persisted-max-bytes": { type: "string" },
        "target-bytes": { type: "string" },
        "dry-run": { type: "boolean" },
        days: { type: "string" },
        settings: { type: "string" },
        command: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  try {
    parsed = parse();
  } catch (error) {
    // As a hook, a bad flag must not break the tool call: exit 0 with nothing on stdout.
    process.stderr.write(`${hookName}: ${(error as Error).message}\n${usage}\n`);
    // Nor may it swallow a command's output: print it as it is.
    const args = process.argv.slice(2);
    if (args.includes("reduce-output") && args.length > 1) {
      await reduceOutputFiles(args.at(-1)!, undefined);
      return 0;
    }
    return process.argv.slice(2).some((arg) => ["install", "uninstall", "settings-json", "gain", "reduce-output"].includes(arg)) ? 2 : 0;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const [command, ...extra] = positionals;
  if (command === undefined) {
    // Run by hand in a terminal: there is no event coming, say what this is instead of waiting.
    if (process.stdin.isTTY) {
      process.stderr.write(`${hookName}: expects a Claude Code hook event on stdin.\n\n${usage}\n`);
      return 0;
    }
    await runHook(values);
    return 0;
  }
  if (command === "reduce-output") {
    // Run by the rewritten command's EXIT trap: whatever goes wrong, the output is printed.
    const [dir] = extra;
    if (dir === undefined || extra.length > 1) {
      process.stderr.write(`${hookName}: reduce-output takes one directory, got ${JSON.stringify(extra)}\n`);
      return 2;
    }
    let options: ReturnType<typeof reduceOptionsFor> | undefined;
    try {
      options = reduceOptionsFor(parseBudgets(values));
    } catch (error) {
      process.stderr.write(`${hookName}: ${(error as Error).message}; printing the output unreduced\n`);
    }
    await reduceOutputFiles(dir, options);
    return 0;
  }
  try {
    if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
    const budgets = parseBudgets(values);
    const settingsFile = resolve(values.settings ?? defaultSettingsFile());
    switch (command) {
      case "install":
        install(settingsFile, budgets, values.command, values["dry-run"] === true);
        return 0;
      case "uninstall":
        uninstall(settingsFile, values["dry-run"] === true);
        return 0;
      case "gain": {
        const days = values.days === undefined ? 30 : Number(values.days);
        if (!/^\d+$/.test(values.days ?? "30") || days < 1) throw new UsageError(`--days must be a whole number of days >= 1, got ${JSON.stringify(values.days)}`);
        gain(days);
        return 0;
      }
      case "settings-json": {
        const base = values.command ?? hookName;
        const full = withBudgets(base, budgets);
        process.stdout.write(`${JSON.stringify(settingsDocument(full))}\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)} (expected install, uninstall, settings-json, gain or reduce-output)`);
    }
  } catch (error) {
    process.stderr.write(`${hookName}: ${(error as Error).message}\n`);
    if (error instanceof UsageError) process.stderr.write(`\n${usage}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

// No top-level await: the built bin is CommonJS.
void main().then((code) => {
  process.exitCode = code;
});
