// A git server of the lab: Debian's `git http-backend` (smart HTTP, clone and push) behind
// Basic authentication, on an address the lab's pods reach. Project workspaces of the
// agent-volume scenarios clone from it and push to it, with credentials from a Secret.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const HTTP_BACKEND = "/usr/lib/git-core/git-http-backend";

export interface GitServer {
  /** `http://<host>:<port>/<name>.git` of a repository it serves. */
  url(name: string): string;
  /** A bare repository with one commit on `main` (README.md). */
  createRepository(name: string): string;
  /** `git` in the bare repository (to read what the agent pushed). */
  git(name: string, ...args: string[]): string;
  close(): Promise<void>;
}

/**
 * `anonymousRead`: clones and fetches need no credentials (pushes always do), as for a public
 * repository: what a Paperclip server that clones on its own side without the agent's token needs.
 */
export async function startGitServer(credentials: { username: string; password: string }, options: { anonymousRead?: boolean } = {}): Promise<GitServer> {
  const root = mkdtempSync(path.join(tmpdir(), "lab-git-"));
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
  const server = http.createServer((request, response) => {
    const reading = /[?&]service=git-upload-pack\b/.test(request.url ?? "") || (request.url ?? "").split("?")[0]!.endsWith("/git-upload-pack");
    if (request.headers.authorization !== expected && !(options.anonymousRead && reading)) {
      response.writeHead(401, { "WWW-Authenticate": 'Basic realm="lab git"' });
      response.end("authentication required\n");
      return;
    }
    const url = new URL(request.url ?? "/", "http://lab");
    const cgi = spawn(HTTP_BACKEND, [], {
      env: {
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: request.method ?? "GET",
        CONTENT_TYPE: request.headers["content-type"] ?? "",
        REMOTE_USER: credentials.username,
        REMOTE_ADDR: request.socket.remoteAddress ?? "",
        PATH: process.env.PATH ?? "/usr/bin:/bin",
      },
    });
    request.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on("data", (chunk: Buffer) => {
      if (headersDone) return void response.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end === -1) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString("utf8").split("\r\n")) {
        const colon = line.indexOf(":");
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      response.writeHead(status, headers);
      response.write(head.subarray(end + 4));
    });
    cgi.on("close", () => response.end());
    cgi.on("error", () => response.destroy());
  });
  const host = process.env.CLAUDE_K8S_LAB_POD_HOST ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.name=lab", "-c", "user.email=lab@lab.local", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" }).trim();
  return {
    url: (name) => `http://${host}:${port}/${name}.git`,
    createRepository(name) {
      const bare = path.join(root, `${name}.git`);
      git(root, "init", "-q", "--bare", bare);
      git(bare, "config", "http.receivepack", "true");
      const work = mkdtempSync(path.join(tmpdir(), "lab-git-seed-"));
      git(work, "init", "-q");
      writeFileSync(path.join(work, "README.md"), `# ${name}\n`);
      git(work, "add", ".");
      git(work, "commit", "-qm", "initial commit");
      git(work, "push", "-q", bare, "HEAD:refs/heads/main");
      rmSync(work, { recursive: true, force: true });
      return bare;
    },
    git: (name, ...args) => git(path.join(root, `${name}.git`), ...args),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          rmSync(root, { recursive: true, force: true });
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
