import { execFile } from "node:child_process";

/** Runs a short-lived helper (openssl) and fails with its stderr, naming the command. */
export function runCommand(file: string, args: readonly string[], what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: "utf8", timeout: 30_000 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") {
        return reject(new Error(`lab: ${what} needs \`${file}\`, which is not installed (Debian: apt-get install ${file})`));
      }
      reject(new Error(`lab: ${what} failed: ${file} ${args.join(" ")}\n${stderr.trim() || error.message}`));
    });
  });
}
