import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { KubeApiError, KubeUnreachableError } from "./kube-api-error.ts";
import { abortableSleep } from "./abortable-sleep.ts";
import { retryDelayMs } from "./retry-delay.ts";
import { apiRequestKind } from "../metrics/api-request-kind.ts";
import { runtimeMetrics } from "../metrics/runtime-metrics.ts";

export type Verb = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type Query = Record<string, string | number | boolean | undefined>;

export interface KubeRequest {
  method: Verb;
  path: string;
  query?: Query;
  body?: unknown;
  /** Defaults to application/json; PATCH callers pick merge-patch or json-patch. */
  contentType?: string;
  signal?: AbortSignal;
  /** Attempts on 429/5xx/unreachable before giving up (default 4; 1 = no retry). */
  attempts?: number;
}

export interface KubeClient {
  /** The API server URL from the kubeconfig. */
  readonly server: string;
  /** The kubeconfig context's namespace, if it names one. */
  readonly contextNamespace: string | undefined;
  /** One request; resolves with the parsed JSON body, rejects with KubeApiError / KubeUnreachableError. */
  request<T>(request: KubeRequest): Promise<T>;
  /** A long-lived GET (watch, log follow): the response once its status is 2xx. */
  stream(request: Omit<KubeRequest, "method" | "body" | "contentType">): Promise<http.IncomingMessage>;
  close(): void;
}

/**
 * A small JSON client over node:http(s) with the kubeconfig's TLS and credentials. We do
 * not use client-node's generated clients for I/O: its log follow hangs on a dropped
 * connection, its watches end after 30 s of silence, and aborting a stream can crash the
 * process. Here every request is one function, with retries that honour Retry-After, and
 * long-lived streams whose end and errors are the caller's to handle.
 */
export async function createKubeClient(kubeConfig: KubeConfig, options: { userAgent?: string } = {}): Promise<KubeClient> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) {
    throw new Error(`the kubeconfig has no current cluster (context "${kubeConfig.getCurrentContext()}"): set current-context or pass a kubeconfig with one`);
  }
  const server = new URL(cluster.server);
  const secure = server.protocol === "https:";
  const tls: https.RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(tls);
  const agent = secure
    ? new https.Agent({
        keepAlive: true,
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        ...(tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: tls.rejectUnauthorized } : {}),
        ...(tls.servername ? { servername: tls.servername } : {}),
      })
    : new http.Agent({ keepAlive: true });
  const userAgent = options.userAgent ?? "claude-k8s";
  const contextNamespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;

  /** Credentials are read per request: exec plugins and token files refresh them. */
  async function authHeaders(): Promise<Record<string, string>> {
    const fresh: https.RequestOptions = { headers: {} };
    await kubeConfig.applyToHTTPSOptions(fresh);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(fresh.headers ?? {})) if (value !== undefined) headers[name] = String(value);
    if (fresh.auth) headers.Authorization = `Basic ${Buffer.from(fresh.auth).toString("base64")}`;
    return headers;
  }

  function url(path: string, query: Query = {}): URL {
    const target = new URL(server.href.replace(/\/$/, "") + path);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) target.searchParams.set(name, String(value));
    return target;
  }

  function send(method: Verb, target: URL, headers: Record<string, string>, body: string | undefined, signal: AbortSignal | undefined): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request(target, { method, agent, headers: { ...headers, "User-Agent": userAgent, Accept: "application/json" }, signal }, resolve);
      request.on("error", reject);
      request.end(body);
    });
  }

  async function attempt(request: KubeRequest, streaming: boolean): Promise<http.IncomingMessage> {
    const target = url(request.path, request.query);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const maxAttempts = Math.max(1, request.attempts ?? 4);
    const kind = apiRequestKind(request.method, request.path, request.query);
    let reloadedCredentials = false;
    for (let attemptNumber = 1; ; attemptNumber++) {
      const headers = await authHeaders();
      if (body !== undefined) {
        headers["Content-Type"] = request.contentType ?? "application/json";
        headers["Content-Length"] = String(Buffer.byteLength(body));
      }
      let response: http.IncomingMessage;
      try {
        response = await send(request.method, target, headers, body, request.signal);
      } catch (cause) {
        runtimeMetrics.apiRequest(kind.verb, kind.resource, "unreachable");
        if (request.signal?.aborted) throw request.signal.reason ?? cause;
        if (attemptNumber >= maxAttempts) throw new KubeUnreachableError({ verb: request.method, path: request.path, server: server.origin, cause });
        await abortableSleep(retryDelayMs(attemptNumber, undefined), request.signal);
        continue;
      }
      const status = response.statusCode ?? 0;
      runtimeMetrics.apiRequest(kind.verb, kind.resource, status);
      if (status >= 200 && status < 300) return response;
      const error = await toApiError(response, request.method, request.path);
      // An expired exec-plugin token: read the credentials again once (EKS/GKE tokens expire mid-run).
      if (status === 401 && !reloadedCredentials) {
        reloadedCredentials = true;
        continue;
      }
      if (!error.isRetryable || attemptNumber >= maxAttempts || (streaming && status < 500 && status !== 429)) throw error;
      await abortableSleep(retryDelayMs(attemptNumber, error.retryAfterSeconds), request.signal);
    }
  }

  return {
    server: server.origin,
    contextNamespace,
    async request<T>(request: KubeRequest): Promise<T> {
      const response = await attempt(request, false);
      const text = await readAll(response);
      return (text ? JSON.parse(text) : undefined) as T;
    },
    stream(request) {
      return attempt({ ...request, method: "GET" }, true);
    },
    close() {
      agent.destroy();
    },
  };
}

async function toApiError(response: http.IncomingMessage, verb: string, path: string): Promise<KubeApiError> {
  const text = await readAll(response).catch(() => "");
  let parsed: { reason?: string; message?: string } | undefined;
  try {
    parsed = JSON.parse(text);
  } catch {}
  const retryAfter = Number(response.headers["retry-after"]);
  return new KubeApiError({
    status: response.statusCode ?? 0,
    ...(parsed?.reason ? { reason: parsed.reason } : {}),
    message: parsed?.message ?? text.slice(0, 500),
    verb,
    path,
    ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
    body: parsed ?? text,
  });
}

function readAll(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on("data", (chunk: Buffer) => chunks.push(chunk));
    response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    response.on("error", reject);
    response.on("aborted", () => reject(new Error("response aborted")));
  });
}
