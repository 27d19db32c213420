// `claude-rtk-hook reduce-output DIR`: the second half of the Bash rewrite (wrap-command.ts).
// DIR holds the command's `stdout` and `stderr`; this prints them reduced to the same two
// streams, saves the full output to a file the marker names when anything was cut (tee mode),
// and removes DIR. CLI code: the reduction itself is the pure core's.
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ReduceOptions, resolveOptions } from "./options.ts";
import { reduceToolOutput } from "./reduce-tool-output.ts";

/** Full outputs kept: the newest ones, so the directory never grows without bound. */
const keptFullOutputs = 50;
const maxReadBytes = 64 * 1024 * 1024;

/**
 * Where full outputs go: $CLAUDE_RTK_TEE_DIR, else <tmpdir>/claude-rtk-hook-<uid>. One
 * directory per user: in a temporary directory shared by several users, another user's
 * directory of that name is not writable (or, worse, theirs to read and swap).
 */
export function teeDirectory(env: NodeJS.ProcessEnv = process.env, uid: number | undefined = process.getuid?.()): string {
  return env.CLAUDE_RTK_TEE_DIR || join(tmpdir(), uid === undefined ? "claude-rtk-hook" : `claude-rtk-hook-${uid}`);
}

/** Why `dir` cannot hold full outputs safely, or undefined when it can: ours, a real directory, writable by us alone. */
function unsafeTeeDirectory(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory()) return `${dir} is not a directory`;
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) return `${dir} belongs to another user (uid ${stat.uid}); set CLAUDE_RTK_TEE_DIR to a directory of yours`;
    if ((stat.mode & 0o022) !== 0) return `${dir} is writable by other users; make it private (chmod 700) or set CLAUDE_RTK_TEE_DIR`;
    return undefined;
  } catch (error) {
    return `cannot use ${dir} (${(error as Error).message}); set CLAUDE_RTK_TEE_DIR to a writable directory`;
  }
}

/** Writes a new file (never through an existing file or link of that name), private to us. */
function writeNewFile(file: string, text: string): void {
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

function readCapped(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return ""; // not created (mktemp raced, or the command closed it): nothing was printed
  }
  try {
    // Never more than this in memory: the start of a gigantic output (the tee file gets that part).
    const buffer = Buffer.alloc(Math.min(fstatSync(fd).size, maxReadBytes));
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.toString("utf8", 0, read);
  } finally {
    closeSync(fd);
  }
}

const withoutFinalNewline = (text: string) => (text.endsWith("\n") ? text.slice(0, -1) : text);

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  if (text === "") return Promise.resolve();
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

function pruneOldOutputs(dir: string): void {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".log"))
    .sort();
  for (const name of files.slice(0, Math.max(0, files.length - keptFullOutputs))) rmSync(join(dir, name), { force: true });
}

export async function reduceOutputFiles(dir: string, options: Omit<ReduceOptions, "fullOutput" | "fullOutputPath"> | undefined): Promise<void> {
  const stdout = readCapped(join(dir, "stdout"));
  const stderr = readCapped(join(dir, "stderr"));
  let out = stdout;
  let err = stderr;
  try {
    if (options !== undefined) {
      // Line counts as the model would count them: without the final newline (put back below).
      const response = { stdout: withoutFinalNewline(stdout), stderr: withoutFinalNewline(stderr), interrupted: false, isImage: false, noOutputExpected: false };
      const reduce = (fullOutputPath: string | undefined) => reduceToolOutput("Bash", response, resolveOptions({ ...options, fullOutputPath }));
      const teeDir = teeDirectory();
      const teeFile = join(teeDir, `${new Date().toISOString().replaceAll(":", "-")}-${process.pid}.log`);
      let reduction = reduce(teeFile);
      if (reduction.status === "reduced" && reduction.cutLines > 0) {
        // Tee mode: the full output goes where the marker says. If it cannot, the output is
        // still reduced, to the budget of an output whose rest is lost, and the marker says so.
        let problem = unsafeTeeDirectory(teeDir);
        if (problem === undefined) {
          try {
            writeNewFile(teeFile, stderr === "" ? stdout : `${stdout}${stdout.endsWith("\n") || stdout === "" ? "" : "\n"}${stderr}`);
            pruneOldOutputs(teeDir);
          } catch (error) {
            problem = `cannot write ${teeFile} (${(error as Error).message})`;
          }
        }
        // The marker then says the full output was not saved; the model cannot fix the directory.
        if (problem !== undefined) reduction = reduce(undefined);
      }
      if (reduction.status === "reduced") {
        const output = reduction.output as { stdout: string; stderr: string };
        out = output.stdout;
        err = output.stderr;
        // Shell output ends with a newline; a cut one should too, or Claude joins the next line to it.
        if (out !== "" && stdout.endsWith("\n") && !out.endsWith("\n")) out += "\n";
        if (err !== "" && stderr.endsWith("\n") && !err.endsWith("\n")) err += "\n";
      }
    }
  } catch (error) {
    out = stdout;
    err = `${stderr}[claude-rtk-hook: output left unreduced: ${(error as Error).message}]\n`;
  }
  await write(process.stdout, out);
  await write(process.stderr, err);
  rmSync(dir, { recursive: true, force: true });
}
