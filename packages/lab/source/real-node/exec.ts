import { execFile } from "node:child_process";

export type RunOptions = { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string };

/** Runs a helper to completion; fails with its stderr, naming the command and what it was for. */
export function run(file: string, args: readonly string[], what: string, options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { encoding: "utf8", timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024, env: options.env ?? process.env },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          return reject(new Error(`lab node: ${what} needs \`${file}\`, which is not installed or not on PATH`));
        }
        reject(new Error(`lab node: ${what} failed: ${file} ${args.join(" ")}\n${(stderr || stdout).trim() || error.message}`));
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
