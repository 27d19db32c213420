import { createServer, type Server } from "node:https";
import type { TLSSocket } from "node:tls";
import type { ContainerLog } from "./container-log.ts";
import { parseLogQuery } from "./log-query.ts";

// The kubelet's HTTPS API, as far as the API server uses it for logs:
//   GET /containerLogs/{namespace}/{pod}/{container}?follow&sinceTime&sinceSeconds&tailLines&limitBytes&timestamps&previous
// Only clients with a certificate from the cluster CA get in, and only the API server's
// kubelet-client identity (or system:masters) is allowed: a real kubelet would ask the
// API server (SubjectAccessReview) whether the caller may use nodes/proxy and nodes/log.

export type LogServerOptions = {
  cert: Buffer;
  key: Buffer;
  /** CA of the client certificates (the cluster CA). */
  clientCa: Buffer;
  /** Common names allowed in (default: the API server's kubelet client). system:masters always is. */
  allowedCommonNames?: readonly string[];
  /** The log of a container instance, or a reason it has none. */
  findLog(namespace: string, pod: string, container: string, previous: boolean): ContainerLog | string;
  log(line: string): void;
};

export async function startLogServer(options: LogServerOptions): Promise<{ port: number; close(): Promise<void> }> {
  const allowed = new Set(options.allowedCommonNames ?? ["kube-apiserver-kubelet-client"]);
  const server: Server = createServer(
    { cert: options.cert, key: options.key, ca: options.clientCa, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      const organizations = ([] as string[]).concat(peer?.subject?.O ?? []);
      if (!allowed.has(String(peer?.subject?.CN)) && !organizations.includes("system:masters")) {
        res.writeHead(403, { "Content-Type": "text/plain" }).end(`Forbidden (user=${peer?.subject?.CN}, verb=get, resource=nodes, subresource=log)\n`);
        return;
      }
      const url = new URL(req.url ?? "/", "https://kubelet");
      if (req.method === "GET" && url.pathname === "/healthz") return void res.writeHead(200).end("ok");
      const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
      if (req.method !== "GET" || parts[0] !== "containerLogs" || parts.length !== 4) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end("404 page not found\n");
        return;
      }
      const [, namespace = "", pod = "", container = ""] = parts;
      const query = parseLogQuery(url.searchParams);
      if (query instanceof Error) return void res.writeHead(400, { "Content-Type": "text/plain" }).end(`${query.message}\n`);
      const found = options.findLog(namespace, pod, container, query.previous);
      if (typeof found === "string") return void res.writeHead(404, { "Content-Type": "text/plain" }).end(`${found}\n`);
      const aborted = new AbortController();
      res.on("close", () => aborted.abort());
      res.writeHead(200, { "Content-Type": "text/plain", "Transfer-Encoding": "chunked" });
      // Headers now: `kubectl logs -f` of a quiet container must not look like a hung connection.
      res.flushHeaders();
      void (async () => {
        try {
          for await (const chunk of found.read(query, aborted.signal)) {
            if (!res.write(chunk)) await new Promise<void>((resolve) => res.once("drain", resolve).once("close", resolve));
            if (aborted.signal.aborted) break;
          }
        } catch (error) {
          options.log(`kubelet-sim: serving the log of ${namespace}/${pod}/${container} failed: ${(error as Error).message}`);
        } finally {
          res.end();
        }
      })();
    },
  );
  server.on("tlsClientError", () => {}); // probes and wrong clients: nothing to log
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
