import { type IncomingMessage, request as httpRequest } from "node:http";
import { Agent, request as httpsRequest } from "node:https";
import type { ClusterConnection } from "./kubeconfig.ts";
import type { ApiStatus } from "./types.ts";

// A minimal JSON client for the API server: requests with a timeout, errors that carry
// the status code and the server's message, and raw streams for watches.

export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  readonly reason: string | undefined;
  constructor(status: number, message: string, reason?: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

export type ApiRequest = {
  body?: unknown;
  /** Defaults to application/json; PATCH callers pass the patch type. */
  contentType?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
};

export type ApiClient = {
  server: string;
  json<T>(method: string, path: string, options?: ApiRequest): Promise<T>;
  /** A long-lived GET (watch): resolves with the response once headers arrived and the status is 200. */
  stream(path: string, signal: AbortSignal): Promise<IncomingMessage>;
  close(): void;
};

export function createApiClient(connection: ClusterConnection): ApiClient {
  const url = new URL(connection.server);
  const secure = url.protocol === "https:";
  const agent = secure
    ? new Agent({
        keepAlive: true,
        ca: connection.ca,
        cert: connection.cert,
        key: connection.key,
        rejectUnauthorized: !connection.insecureSkipTlsVerify,
      })
    : undefined;
  const headers = (extra: Record<string, string>) => ({
    Accept: "application/json",
    "User-Agent": "kubelet-sim",
    ...(connection.token ? { Authorization: `Bearer ${connection.token}` } : {}),
    ...extra,
  });
  const send = (method: string, path: string, options: ApiRequest, onResponse: (res: IncomingMessage) => void) => {
    const body = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const req = (secure ? httpsRequest : httpRequest)(
      new URL(path, connection.server),
      {
        method,
        agent,
        signal: options.signal,
        headers: headers(body ? { "Content-Type": options.contentType ?? "application/json", "Content-Length": String(body.length) } : {}),
      },
      onResponse,
    );
    if (options.timeoutMs) req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer after ${options.timeoutMs} ms`)));
    req.end(body);
    return req;
  };

  return {
    server: connection.server,
    json<T>(method: string, path: string, options: ApiRequest = {}) {
      return new Promise<T>((resolve, reject) => {
        const req = send(method, path, { timeoutMs: 30_000, ...options }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              try {
                resolve((text ? JSON.parse(text) : undefined) as T);
              } catch (error) {
                reject(new Error(`${method} ${path}: the API server sent invalid JSON: ${(error as Error).message}`));
              }
              return;
            }
            reject(errorFromBody(method, path, status, text));
          });
        });
        req.on("error", reject);
      });
    },
    stream(path, signal) {
      return new Promise<IncomingMessage>((resolve, reject) => {
        const req = send("GET", path, { signal }, (res) => {
          if (res.statusCode === 200) return resolve(res);
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => reject(errorFromBody("GET", path, res.statusCode ?? 0, Buffer.concat(chunks).toString("utf8"))));
        });
        req.on("error", reject);
      });
    },
    close: () => agent?.destroy(),
  };
}

function errorFromBody(method: string, path: string, status: number, text: string): ApiError {
  let message = text.slice(0, 500);
  let reason: string | undefined;
  try {
    const parsed = JSON.parse(text) as ApiStatus;
    if (parsed.kind === "Status") {
      message = parsed.message ?? message;
      reason = parsed.reason;
    }
  } catch {}
  return new ApiError(status, `${method} ${path}: HTTP ${status}: ${message}`, reason);
}

export const isNotFound = (error: unknown) => error instanceof ApiError && error.status === 404;
export const isConflict = (error: unknown) => error instanceof ApiError && error.status === 409;
