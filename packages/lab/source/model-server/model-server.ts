import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { errorReply } from "./anthropic-errors.ts";
import type { MessagesRequestBody } from "./messages-request.ts";
import { type AssistantMessage, type ContentBlock, encodeSseEvent, errorEvent, estimateTokens, messageBody, streamEvents } from "./sse.ts";
import { defaultSideRoute, type SideRoute } from "./side-routes.ts";
import type { Step } from "./steps.ts";
import { validateStep } from "./validate-step.ts";

export type RecordedRequest = {
  /** Position among all /v1/messages requests (0-based). */
  index: number;
  method: string;
  /** Path with query, e.g. "/v1/messages?beta=true". */
  path: string;
  headers: IncomingHttpHeaders;
  body: MessagesRequestBody;
  /** "script": answered by the script (and consumed a step); "side": answered by a side route. */
  answeredBy: "script" | "side";
  /** The step that answered; undefined when the script was exhausted (answered 400). */
  step: Step | undefined;
};

export type OtherRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: string };

/** Picks the step for the index-th scripted request; undefined means the script is exhausted. */
export type ScriptFunction = (request: MessagesRequestBody, index: number) => Step | undefined;

export type ModelServerOptions = {
  script: Step[] | ScriptFunction;
  /** Loopback port; default 0 (any free port). */
  port?: number;
  /**
   * Address to listen on. Default: $CLAUDE_K8S_LAB_POD_HOST (the lab's test setup sets it to
   * where pods on the real node reach the host, the pod bridge's address), else 127.0.0.1.
   */
  host?: string;
  /** Default: `defaultSideRoute`. Pass `() => undefined` to send every request through the script. */
  side?: SideRoute;
  /** Model name reported in replies when the request names none. */
  model?: string;
  /** Called once a /v1/messages request has been routed (e.g. to log it). */
  onRequest?: (request: RecordedRequest) => void;
};

export type ModelServer = {
  /** http://127.0.0.1:PORT: give it to the CLI as ANTHROPIC_BASE_URL. */
  url: string;
  port: number;
  /** Every /v1/messages request, in arrival order, with its parsed body. */
  requests: RecordedRequest[];
  /** Requests to other endpoints (count_tokens, models, anything unknown). */
  otherRequests: OtherRequest[];
  /** Scripted (non-side) requests only. */
  scriptedRequests(): RecordedRequest[];
  /** Lets the answers of steps `heldUntil: name` go (those waiting and any later one). */
  release(name: string): void;
  close(): Promise<void>;
};

/** Walks an array script, answering with each step `repeat` times. */
function stepsInOrder(steps: Step[]): ScriptFunction {
  let cursor = 0;
  let usedOfCurrent = 0;
  return () => {
    const step = steps[cursor];
    if (step === undefined) return undefined;
    usedOfCurrent += 1;
    const repeat = step.repeat ?? 1;
    if (repeat !== "forever" && usedOfCurrent >= repeat) {
      cursor += 1;
      usedOfCurrent = 0;
    }
    return step;
  };
}

/** Named gates a held step waits on; once opened, a gate stays open. */
class Gates {
  private readonly waiting = new Map<string, Array<() => void>>();
  private readonly openNames = new Set<string>();
  private allOpen = false;

  opened(name: string): Promise<void> {
    if (this.allOpen || this.openNames.has(name)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(name, [...(this.waiting.get(name) ?? []), resolve]));
  }

  open(name: string): void {
    this.openNames.add(name);
    for (const resolve of this.waiting.get(name) ?? []) resolve();
    this.waiting.delete(name);
  }

  openAll(): void {
    this.allOpen = true;
    for (const name of [...this.waiting.keys()]) this.open(name);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  const steps = Array.isArray(options.script) ? options.script.map((step, n) => validateStep(step, `script[${n}]`)) : undefined;
  const scriptFunction: ScriptFunction = steps ? stepsInOrder(steps) : (options.script as ScriptFunction);
  const side = options.side ?? defaultSideRoute;
  const requests: RecordedRequest[] = [];
  const otherRequests: OtherRequest[] = [];
  const sockets = new Set<Socket>();
  let scriptedCount = 0;
  let messageCount = 0;
  const gates = new Gates();
  let toolUseCount = 0;

  function assistantMessage(step: Step, body: MessagesRequestBody, rawBody: string): AssistantMessage {
    messageCount += 1;
    const content: ContentBlock[] = [];
    if (step.kind === "text" && step.text !== "") content.push({ type: "text", text: step.text });
    if (step.kind === "drop") content.push({ type: "text", text: step.text ?? "Let me" });
    if (step.kind === "tool_use") {
      if (step.text) content.push({ type: "text", text: step.text });
      for (const call of step.calls) {
        toolUseCount += 1;
        content.push({ type: "tool_use", id: call.id ?? `toolu_${String(toolUseCount).padStart(4, "0")}`, name: call.name, input: call.input });
      }
    }
    const outputText = content.map((block) => (block.type === "text" ? block.text : JSON.stringify(block.input))).join("");
    return {
      id: `msg_${String(messageCount).padStart(4, "0")}`,
      model: body.model ?? options.model ?? "claude-scripted",
      content,
      stopReason: step.kind === "tool_use" ? "tool_use" : "end_turn",
      inputTokens: estimateTokens(rawBody),
      outputTokens: step.kind === "empty" ? 0 : estimateTokens(outputText),
    };
  }

  async function answer(step: Step, body: MessagesRequestBody, rawBody: string, res: ServerResponse) {
    if (step.delayMs) await sleep(step.delayMs);
    if (step.heldUntil !== undefined) await gates.opened(step.heldUntil);
    if (res.destroyed) return;
    const requestId = `req_scripted_${requests.length.toString().padStart(4, "0")}`;
    // A non-streaming request has no stream to break into: an in-stream error becomes an HTTP one.
    if (step.kind === "error" && (!step.inStream || body.stream !== true)) {
      const reply = errorReply(step, requestId, new Date());
      sendJson(res, reply.status, reply.body, reply.headers);
      return;
    }
    if (step.kind === "hang" && !step.afterEvents) return; // hold the socket until close()
    const message = assistantMessage(step, body, rawBody);
    if (body.stream !== true) {
      if (step.kind === "drop") return void res.socket?.destroy();
      sendJson(res, 200, messageBody(message), { "request-id": requestId });
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "request-id": requestId });
    let events = streamEvents(message);
    if (step.kind === "error") {
      const reply = errorReply(step, requestId, new Date());
      events = [events[0]!, errorEvent(reply.body.error.type, reply.body.error.message)];
    }
    if (step.kind === "drop") events = events.slice(0, step.afterEvents ?? 3);
    if (step.kind === "hang") events = events.slice(0, step.afterEvents);
    for (const event of events) res.write(encodeSseEvent(event));
    if (step.kind === "drop") {
      // Let the written events leave, then cut the TCP connection with no chunked terminator.
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    if (step.kind === "hang") return;
    res.end();
  }

  async function handleMessages(req: IncomingMessage, res: ServerResponse, rawBody: string) {
    let body: MessagesRequestBody;
    try {
      body = JSON.parse(rawBody) as MessagesRequestBody;
    } catch {
      const reply = errorReply({ status: 400, message: "model-server: request body is not JSON" }, "req_invalid", new Date());
      sendJson(res, 400, reply.body, reply.headers);
      return;
    }
    const record: RecordedRequest = {
      index: requests.length,
      method: req.method ?? "POST",
      path: req.url ?? "",
      headers: req.headers,
      body,
      answeredBy: "side",
      step: undefined,
    };
    requests.push(record);
    let step = side(body);
    if (step === undefined) {
      record.answeredBy = "script";
      const index = scriptedCount;
      scriptedCount += 1;
      step = scriptFunction(body, index);
      if (step !== undefined && !steps) step = validateStep(step, `script(request ${index})`);
      if (step === undefined) {
        // 400 is not retried by the CLI, so a too-short script ends the run at once and says why.
        const message = `model-server: the script has no step for scripted request #${index} (model ${body.model ?? "?"}); add a step or end the conversation earlier`;
        const reply = errorReply({ status: 400, message }, "req_exhausted", new Date());
        options.onRequest?.(record);
        sendJson(res, 400, reply.body, reply.headers);
        return;
      }
    }
    record.step = step;
    options.onRequest?.(record);
    await answer(step, body, rawBody, res);
  }

  function handleOther(req: IncomingMessage, res: ServerResponse, rawBody: string) {
    const path = req.url ?? "";
    otherRequests.push({ method: req.method ?? "GET", path, headers: req.headers, body: rawBody });
    const pathname = path.split("?")[0];
    if (req.method === "POST" && pathname === "/v1/messages/count_tokens") {
      return sendJson(res, 200, { input_tokens: estimateTokens(rawBody) });
    }
    if (req.method === "GET" && pathname === "/v1/models") {
      const model = { type: "model", id: options.model ?? "claude-scripted", display_name: "Scripted model", created_at: "2026-01-01T00:00:00Z" };
      return sendJson(res, 200, { data: [model], has_more: false, first_id: model.id, last_id: model.id });
    }
    if (req.method === "HEAD" || (req.method === "GET" && (pathname === "/" || pathname === ""))) {
      return res.writeHead(200).end();
    }
    const reply = errorReply({ status: 404, message: `model-server: no such endpoint: ${req.method} ${pathname}` }, "req_not_found", new Date());
    sendJson(res, 404, reply.body, reply.headers);
  }

  const server = createServer((req, res) => {
    readBody(req)
      .then((rawBody) => {
        const pathname = (req.url ?? "").split("?")[0];
        if (req.method === "POST" && pathname === "/v1/messages") return handleMessages(req, res, rawBody);
        return handleOther(req, res, rawBody);
      })
      .catch((error: unknown) => {
        // A broken script function must show up in the test, not as a hung CLI.
        const message = `model-server: ${error instanceof Error ? error.message : String(error)}`;
        if (!res.headersSent) sendJson(res, 500, errorReply({ status: 500, message }, "req_failed", new Date()).body);
        else res.destroy();
        console.error(message);
      });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const host = options.host ?? process.env.CLAUDE_K8S_LAB_POD_HOST ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    otherRequests,
    scriptedRequests: () => requests.filter((request) => request.answeredBy === "script"),
    release: (name) => gates.open(name),
    close: () =>
      new Promise<void>((resolve) => {
        gates.openAll();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
