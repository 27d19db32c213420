import { randomBytes, timingSafeEqual } from "node:crypto";
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { FaultProxyControls } from "./controls.ts";

// A small JSON-over-HTTP API to the fault proxy, on 127.0.0.1 with a random bearer token
// (kept in the lab's run dir): tests in other processes and `lab` subcommands use it.
//
//   GET  /v1/stats                 -> ProxyStats
//   POST /v1/stats/reset
//   POST /v1/latency  LatencyRule  -> {id}
//   POST /v1/errors   ErrorRule    -> {id}
//   POST /v1/faults/clear
//   POST /v1/cut      {kind, match?} -> {cut}
//   POST /v1/stall    {kind, match?} -> {stalled}
//   POST /v1/restart-apiserver     -> {ms}
//   POST /v1/restart-kubelet       -> {ms}   (real node only)

const maxBody = 64 * 1024;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req) {
    text += chunk;
    if (text.length > maxBody) throw new Error("body too large");
  }
  if (text.trim() === "") return {};
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("body must be a JSON object");
  return value as Record<string, unknown>;
}

export type ControlApi = { url: string; token: string; close(): Promise<void> };

export async function startControlApi(controls: FaultProxyControls): Promise<ControlApi> {
  const token = randomBytes(24).toString("hex");
  const expected = Buffer.from(`Bearer ${token}`);
  const routes: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    "GET /v1/stats": () => controls.stats(),
    "POST /v1/stats/reset": async () => {
      await controls.resetStats();
      return {};
    },
    "POST /v1/latency": async (body) => ({ id: await controls.addLatency(body as never) }),
    "POST /v1/errors": async (body) => ({ id: await controls.injectErrors(body as never) }),
    "POST /v1/faults/clear": async () => {
      await controls.clearFaults();
      return {};
    },
    "POST /v1/cut": async (body) => ({ cut: await controls.cut(body.kind as never, body.match as never) }),
    "POST /v1/stall": async (body) => ({ stalled: await controls.stall(body.kind as never, body.match as never) }),
    "POST /v1/restart-apiserver": () => controls.restartApiServer(),
    "POST /v1/restart-kubelet": () => controls.restartKubelet(),
  };
  const server: Server = createServer((req, res) => {
    const reply = (status: number, value: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
    const given = Buffer.from(req.headers.authorization ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reply(401, { error: "missing or wrong bearer token (see the lab's state.json)" });
    }
    const route = routes[`${req.method} ${new URL(req.url ?? "/", "http://x").pathname}`];
    if (!route) return reply(404, { error: `no route ${req.method} ${req.url}`, routes: Object.keys(routes) });
    readJson(req)
      .then((body) => route(body))
      .then((value) => reply(200, value))
      .catch((error: Error) => reply(400, { error: error.message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("fault proxy: control API has no address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    token,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
