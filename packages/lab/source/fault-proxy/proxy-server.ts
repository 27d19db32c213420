import { readFileSync } from "node:fs";
import { Agent, createServer, request } from "node:https";
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { type Duplex, Transform } from "node:stream";
import type { TLSSocket } from "node:tls";
import type { KeyPair } from "../control-plane/pki.ts";
import { FaultRules, type RequestMatch, matches } from "./faults.ts";
import { type RequestInfo, describeRequest, requestKey } from "./request-info.ts";

export type ProxyStats = {
  /** When counting started (ISO time); reset by resetStats(). */
  since: string;
  total: number;
  /** Requests by "<verb> <resource>[.<group>][/<subresource>]", e.g. {"watch pods": 2, "list jobs.batch": 1}. */
  requests: Record<string, number>;
  /** Streams open right now. */
  open: { watch: number; log: number; exec: number; other: number };
  injectedErrors: number;
  cutConnections: number;
  /** Requests the proxy could not forward (API server down or restarting). */
  upstreamFailures: number;
};

export type CutKind = "watch" | "log" | "exec" | "all";

export type ProxyServerOptions = {
  /** https://127.0.0.1:<port> of the kube-apiserver. */
  upstream: string;
  caPath: string;
  /** The proxy's serving certificate, chained to caPath (the kubeconfig trusts it). */
  serving: KeyPair;
  /** Front-proxy client certificate: the API server trusts our X-Remote-* headers because of it. */
  frontProxyClient: KeyPair;
};

type InFlight = { info: RequestInfo; downstream: Duplex; upstream?: { destroy(): void }; stalled?: boolean };

const hopByHop = new Set([
  "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
  "transfer-encoding", "upgrade", "host",
]);

function forwardableHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    // Never let a caller claim an identity through the headers the API server trusts from us.
    if (hopByHop.has(name) || name.startsWith("x-remote-")) continue;
    out[name] = value;
  }
  return out;
}

/** The caller's Kubernetes identity from its verified client certificate: CN user, O groups. */
function identityHeaders(socket: TLSSocket): OutgoingHttpHeaders {
  if (!socket.authorized) return {};
  const subject = socket.getPeerCertificate().subject as unknown as Record<string, string | string[] | undefined> | undefined;
  const user = subject?.CN;
  if (typeof user !== "string" || user === "") return {};
  const groups = subject?.O === undefined ? [] : Array.isArray(subject.O) ? subject.O : [subject.O];
  return { "x-remote-user": user, ...(groups.length > 0 ? { "x-remote-group": groups } : {}) };
}

/**
 * The faults of one streamed answer. Each chunk is held back by the stream latency in force
 * when it arrives, in order (a chunk never overtakes an earlier, longer-delayed one). Once
 * the stream is stalled, chunks are dropped and its end is never passed on: the caller
 * sees an open connection that brings nothing, as behind a stuck proxy.
 */
function streamFaults(entry: InFlight, delayFor: () => number): Transform {
  let previous: Promise<void> = Promise.resolve();
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const ms = delayFor();
      const due = ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : undefined;
      previous = previous.then(() => due).then(() => {
        if (!entry.stalled) this.push(chunk);
      });
      callback();
    },
    flush(callback) {
      previous.then(() => {
        if (!entry.stalled) callback();
      });
    },
  });
}

/**
 * An HTTPS server in front of the kube-apiserver that sees every request. It terminates
 * TLS (so it can read verb and resource). A caller with a verified client certificate is
 * forwarded with the proxy's front-proxy certificate and its identity in
 * X-Remote-User/Group, which the API server accepts only from that certificate; any other
 * caller (bearer token, anonymous) is forwarded without a client certificate. While the API server is down the
 * proxy drops the caller's connection, as a dead API server would.
 */
export function createProxyServer(options: ProxyServerOptions) {
  const ca = readFileSync(options.caPath);
  const upstreamUrl = new URL(options.upstream);
  // Two upstream connection pools: callers with a client certificate are forwarded as the
  // front proxy (identity in headers); everyone else (bearer token, anonymous) without a
  // client certificate, so the API server judges them exactly as it would directly.
  const frontProxyAgent = new Agent({
    keepAlive: true,
    ca,
    cert: readFileSync(options.frontProxyClient.certPath),
    key: readFileSync(options.frontProxyClient.keyPath),
  });
  const plainAgent = new Agent({ keepAlive: true, ca });
  const rules = new FaultRules();
  const inFlight = new Set<InFlight>();
  let stats = freshStats();

  function freshStats(): ProxyStats {
    return {
      since: new Date().toISOString(),
      total: 0,
      requests: {},
      open: { watch: 0, log: 0, exec: 0, other: 0 },
      injectedErrors: 0,
      cutConnections: 0,
      upstreamFailures: 0,
    };
  }

  function count(info: RequestInfo) {
    const key = requestKey(info);
    stats.total += 1;
    stats.requests[key] = (stats.requests[key] ?? 0) + 1;
  }

  function track(entry: InFlight): () => void {
    inFlight.add(entry);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      inFlight.delete(entry);
    };
  }

  const upstreamRequestOptions = (req: IncomingMessage) => {
    const identity = identityHeaders(req.socket as TLSSocket);
    return {
      agent: identity["x-remote-user"] ? frontProxyAgent : plainAgent,
      hostname: upstreamUrl.hostname,
      port: upstreamUrl.port,
      method: req.method,
      path: req.url,
      headers: { ...forwardableHeaders(req.headers), ...identity, host: upstreamUrl.host },
    };
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const info = describeRequest(req.method ?? "GET", req.url ?? "/");
    count(info);
    const entry: InFlight = { info, downstream: req.socket };
    const untrack = track(entry);
    res.on("close", untrack);

    const delay = rules.latencyFor(info);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (req.socket.destroyed) return untrack();

    const injected = rules.errorFor(info, Date.now());
    if (injected) {
      stats.injectedErrors += 1;
      req.resume();
      res.writeHead(injected.status, injected.headers).end(injected.body);
      return;
    }

    const upstream = request(upstreamRequestOptions(req), (upRes) => {
      const headers = forwardableHeaders(upRes.headers);
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, headers);
      // Streams (watch, log follow) must reach the caller chunk by chunk, not buffered.
      res.flushHeaders();
      if (info.stream === null) upRes.pipe(res);
      else upRes.pipe(streamFaults(entry, () => rules.streamLatencyFor(info))).pipe(res);
      upRes.on("error", () => res.destroy());
    });
    entry.upstream = upstream;
    upstream.on("error", () => {
      if (!res.headersSent) stats.upstreamFailures += 1;
      req.socket.destroy();
    });
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  }

  // exec, attach and port-forward switch protocols (SPDY or WebSocket): forward the
  // upgrade, then splice the two sockets.
  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const info = describeRequest(req.method ?? "GET", req.url ?? "/");
    count(info);
    const entry: InFlight = { info, downstream: socket };
    const untrack = track(entry);
    socket.on("close", untrack);
    socket.on("error", () => socket.destroy());
    const forwarded = upstreamRequestOptions(req);
    const upstream = request({
      ...forwarded,
      headers: { ...forwarded.headers, connection: "Upgrade", upgrade: req.headers.upgrade },
    });
    entry.upstream = upstream;
    upstream.on("upgrade", (upRes, upSocket, upHead) => {
      const lines = [`HTTP/1.1 ${upRes.statusCode} ${upRes.statusMessage}`];
      for (let i = 0; i < upRes.rawHeaders.length; i += 2) lines.push(`${upRes.rawHeaders[i]}: ${upRes.rawHeaders[i + 1]}`);
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (upHead.length > 0) socket.write(upHead);
      if (head.length > 0) upSocket.write(head);
      upSocket.pipe(socket).pipe(upSocket);
      upSocket.on("error", () => socket.destroy());
      upSocket.on("close", () => socket.destroy());
      socket.on("close", () => upSocket.destroy());
    });
    upstream.on("response", (upRes) => {
      // The API server refused the upgrade (e.g. 403): relay its answer as is.
      const lines = [`HTTP/1.1 ${upRes.statusCode} ${upRes.statusMessage}`];
      for (let i = 0; i < upRes.rawHeaders.length; i += 2) lines.push(`${upRes.rawHeaders[i]}: ${upRes.rawHeaders[i + 1]}`);
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
      upRes.pipe(socket);
    });
    upstream.on("error", () => {
      stats.upstreamFailures += 1;
      socket.destroy();
    });
    upstream.end();
  }

  const server = createServer(
    {
      key: readFileSync(options.serving.keyPath),
      cert: readFileSync(options.serving.certPath),
      ca,
      // Ask for a client certificate but also serve token-only callers; the API server
      // decides what an unauthenticated request may do, as it would without the proxy.
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      handle(req, res).catch(() => res.destroy());
    },
  );
  server.on("upgrade", handleUpgrade);
  // Idle keep-alive sockets must not hold `close()` open.
  server.keepAliveTimeout = 5_000;

  return {
    server,
    rules,
    stats(): ProxyStats {
      const open = { watch: 0, log: 0, exec: 0, other: 0 };
      for (const entry of inFlight) open[entry.info.stream ?? "other"] += 1;
      return structuredClone({ ...stats, open });
    },
    resetStats() {
      stats = freshStats();
    },
    /** Drops the matching open streams mid-flight; returns how many it cut. */
    cut(kind: CutKind, match?: RequestMatch): number {
      let cut = 0;
      for (const entry of [...inFlight]) {
        const kindMatches = kind === "all" ? entry.info.stream !== null : entry.info.stream === kind;
        if (!kindMatches || !matches(match, entry.info)) continue;
        entry.upstream?.destroy();
        entry.downstream.destroy();
        inFlight.delete(entry);
        cut += 1;
      }
      stats.cutConnections += cut;
      return cut;
    },
    /** Stalls the matching open streams: they stay open and bring nothing more. Returns how many. */
    stall(kind: CutKind, match?: RequestMatch): number {
      let stalled = 0;
      for (const entry of inFlight) {
        const kindMatches = kind === "all" ? entry.info.stream !== null : entry.info.stream === kind;
        if (!kindMatches || entry.info.stream === "exec" || !matches(match, entry.info)) continue;
        entry.stalled = true;
        stalled += 1;
      }
      return stalled;
    },
    /** Cuts everything in flight, streams or not (used around API-server restarts). */
    dropAll(): number {
      const n = inFlight.size;
      for (const entry of inFlight) {
        entry.upstream?.destroy();
        entry.downstream.destroy();
      }
      inFlight.clear();
      return n;
    },
    close(): Promise<void> {
      this.dropAll();
      frontProxyAgent.destroy();
      plainAgent.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export type ProxyServer = ReturnType<typeof createProxyServer>;
