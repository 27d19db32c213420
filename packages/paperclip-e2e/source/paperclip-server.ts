// A real Paperclip server in a throwaway data directory: onboarded with the quickstart
// defaults (local_trusted on loopback, embedded Postgres), given its own ports, then run.
// It dies with the test process (parent-death signal) and takes its Postgres with it.
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, chownSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-port.ts";
import { PaperclipApi } from "./paperclip-api.ts";

export interface PaperclipServer {
  readonly url: string;
  readonly api: PaperclipApi;
  /** A temporary directory holding all of this server: its data dir, logs, HOME. */
  readonly home: string;
  /** `--data-dir`: everything the server keeps (instances, workspaces); the shared volume. */
  readonly dataDir: string;
  /** Everything the server printed. */
  readonly logPath: string;
  /** Stops the server and its Postgres, then removes `home`. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The `paperclipai` bin (paperclip-install.ts). */
  bin: string;
  log: (line: string) => void;
}

export async function startPaperclip(options: StartOptions): Promise<PaperclipServer> {
  // Enterable by the postgres user, which owns the embedded database when we run as root.
  const home = mkdtempSync(path.join(tmpdir(), "claude-k8s-paperclip-"));
  chmodSync(home, 0o755);
  const dataDir = path.join(home, "data");
  const instanceDir = path.join(dataDir, "instances", "default");
  const logPath = path.join(home, "server.log");
  mkdirSync(path.join(home, "user-home"), { recursive: true });
  const env: Record<string, string> = {
    HOME: path.join(home, "user-home"),
    // Node 24 first: Paperclip refuses older runtimes.
    PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    LANG: "C.UTF-8",
    NO_COLOR: "1",
    // The operator's policy for agent config: what the test allowed in this process, plus
    // this server's data directory as the shared volume's server path.
    ...Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[0].startsWith("CLAUDE_K8S_ALLOW_") && entry[1] !== undefined)),
    CLAUDE_K8S_ALLOW_SERVER_MOUNT_PATH: dataDir,
  };

  // `onboard --yes` writes the config, the .env with the JWT secret and the secrets key, then
  // starts a server with default ports; we stop it there and pick our own ports.
  options.log(`onboarding a Paperclip instance in ${dataDir}`);
  const onboard = launch(options.bin, ["onboard", "--yes", "--data-dir", dataDir], env, path.join(home, "onboard.log"));
  await onboard.waitFor(/Running doctor checks|Starting Paperclip server/, 120_000);
  await onboard.kill();

  const configPath = path.join(instanceDir, "config.json");
  const config = JSON.parse(readFileSync(configPath, "utf8"));
  const port = await freePort();
  config.server.port = port;
  config.database.embeddedPostgresPort = await freePort();
  config.database.backup = { ...config.database.backup, enabled: false };
  // Nothing may call out of this machine.
  config.telemetry = { enabled: false };
  config.updates = { checkEnabled: false };
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  if (process.getuid?.() === 0) {
    // As root the embedded Postgres runs as `postgres`, which must own its data directory.
    const db = path.join(instanceDir, "db");
    mkdirSync(db, { recursive: true });
    const { uid, gid } = postgresUser();
    chownSync(db, uid, gid);
  }

  options.log("starting the Paperclip server");
  const server = launch(options.bin, ["run", "--data-dir", dataDir], env, logPath);
  const bound = await server.waitFor(/listener bound on ([\d.]+):(\d+)/, 180_000);
  const url = `http://${bound[1]}:${bound[2]}`;
  const api = new PaperclipApi(url);
  await api.waitHealthy(120_000);
  options.log(`Paperclip ${url} is up`);
  return {
    url,
    api,
    home,
    dataDir,
    logPath,
    async stop() {
      await server.kill();
      // CLAUDE_K8S_PAPERCLIP_KEEP=1 keeps the data dir and logs for a post-mortem (~80 MB).
      if (process.env.CLAUDE_K8S_PAPERCLIP_KEEP === "1") options.log(`kept ${home}`);
      else rmSync(home, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("postgres:"));
  if (!line) {
    throw new Error("running as root, Paperclip's embedded Postgres needs a `postgres` user: install postgresql-common (./dev does) or run the tests as a non-root user");
  }
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

interface Launched {
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  kill(): Promise<void>;
}

function launch(bin: string, args: string[], env: Record<string, string>, logPath: string): Launched {
  // setpriv --pdeathsig: a crashed test run must not leave a server (and its Postgres) behind.
  const child: ChildProcess = spawn("setpriv", ["--pdeathsig", "TERM", "--", process.execPath, bin, ...args], {
    env,
    cwd: env.HOME,
    detached: true, // its own process group: stop() reaches Postgres too
    stdio: ["ignore", "pipe", "pipe"],
  });
  const file = createWriteStream(logPath);
  let output = "";
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    file.write(chunk);
    output += chunk.toString("utf8");
    if (output.length > 1_000_000) output = output.slice(-500_000);
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) {
            done();
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`Paperclip did not print ${pattern} within ${timeoutMs / 1000} s; see ${logPath}`));
        }, timeoutMs);
        const onExit = (code: number | null) => {
          done();
          reject(new Error(`Paperclip exited (${code}) before printing ${pattern}; see ${logPath}:\n${output.slice(-2000)}`));
        };
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
          child.off("exit", onExit);
        };
        waiters.add(check);
        child.once("exit", onExit);
        check();
      });
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const group = -(child.pid ?? 0);
      try {
        process.kill(group, "SIGTERM");
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(group, "SIGKILL");
        } catch {}
      }, 15_000);
      await exited;
      clearTimeout(timer);
      file.end();
    },
  };
}
