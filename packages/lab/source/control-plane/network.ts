import { type RequestOptions, request } from "node:https";
import { createServer } from "node:net";
import { readFileSync } from "node:fs";
import type { KeyPair } from "./pki.ts";

/**
 * A free TCP port on 127.0.0.1. The kernel picks it; there is a short window before the
 * component binds it, acceptable on a lab machine (a collision fails loudly at start).
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export type TlsClientFiles = { caPath: string; client?: KeyPair };

export type HttpsAnswer = { status: number; body: string };

/** One HTTPS GET with the lab's CA (and a client certificate when given). */
export function httpsGet(url: string, tls: TlsClientFiles, timeoutMs = 5_000): Promise<HttpsAnswer> {
  return get(
    url,
    {
      ca: readFileSync(tls.caPath),
      cert: tls.client ? readFileSync(tls.client.certPath) : undefined,
      key: tls.client ? readFileSync(tls.client.keyPath) : undefined,
    },
    timeoutMs,
  );
}

/** Same as httpsGet but for a component serving a self-signed certificate (its /healthz). */
export function httpsGetInsecure(url: string, timeoutMs = 5_000): Promise<HttpsAnswer> {
  return get(url, { rejectUnauthorized: false }, timeoutMs);
}

function get(url: string, tls: RequestOptions, timeoutMs: number): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", timeout: timeoutMs, ...tls }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}
