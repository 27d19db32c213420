import { afterEach, describe, expect, it } from "vitest";
import { toolResults } from "./messages-request.ts";
import { type ModelServer, type ModelServerOptions, startModelServer } from "./model-server.ts";
import { sideRoute } from "./side-routes.ts";
import { apiError, dropStream, emptyReply, hang, text, toolUse } from "./steps.ts";
import { assembleContent, parseSse } from "./test-utils/read-sse.ts";

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: ModelServerOptions) {
  server = await startModelServer(options);
  return server;
}

const mainRequest = (extra: Record<string, unknown> = {}) => ({
  model: "claude-opus-test",
  stream: true,
  tools: [{ name: "Bash" }],
  messages: [{ role: "user", content: "hi" }],
  ...extra,
});

async function post(url: string, body: unknown, path = "/v1/messages?beta=true") {
  const response = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { response, text: await response.text() };
}

describe("startModelServer", () => {
  it("answers scripted steps in order over SSE and records each request", async () => {
    const { url, requests } = await start({ script: [toolUse("Bash", { command: "ls" }, { id: "toolu_a" }), text("Done.")] });
    const first = await post(url, mainRequest());
    expect(first.response.headers.get("content-type")).toBe("text/event-stream");
    const events = parseSse(first.text);
    expect(assembleContent(events)).toEqual([{ type: "tool_use", id: "toolu_a", name: "Bash", input: { command: "ls" } }]);
    expect(events.find((event) => event.event === "message_delta")?.data).toMatchObject({ delta: { stop_reason: "tool_use" } });

    const withResult = mainRequest({
      messages: [
        { role: "user", content: "hi" },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_a", content: [{ type: "text", text: "file.txt" }] }] },
      ],
    });
    const second = await post(url, withResult);
    expect(assembleContent(parseSse(second.text))).toEqual([{ type: "text", text: "Done." }]);
    expect(requests.map((request) => request.step?.kind)).toEqual(["tool_use", "text"]);
    expect(toolResults(requests[1]!.body)).toMatchObject([{ toolUseId: "toolu_a", content: "file.txt", isError: false }]);
  });

  it("holds a heldUntil step's answer until the test releases its gate, and a released gate stays open", async () => {
    const server = await start({ script: [text("after the gate", { heldUntil: "go", repeat: 2 })] });
    let answered = false;
    const first = post(server.url, mainRequest()).then((reply) => {
      answered = true;
      return reply;
    });
    while (server.scriptedRequests().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    // Recorded, and still unanswered a while later.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered).toBe(false);
    server.release("go");
    expect(assembleContent(parseSse((await first).text))).toEqual([{ type: "text", text: "after the gate" }]);
    expect(assembleContent(parseSse((await post(server.url, mainRequest())).text))).toEqual([{ type: "text", text: "after the gate" }]);
  });

  it("answers JSON when the request does not stream", async () => {
    const { url } = await start({ script: [text("plain")] });
    const { response, text: body } = await post(url, mainRequest({ stream: false }));
    expect(response.status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ type: "message", content: [{ type: "text", text: "plain" }], stop_reason: "end_turn" });
  });

  it("sends Anthropic-shaped errors with retry and rate-limit headers", async () => {
    const { url } = await start({ script: [apiError(401), apiError(429, { retryAfterSeconds: 7 }), apiError(529)] });
    const unauthorized = await post(url, mainRequest());
    expect(unauthorized.response.status).toBe(401);
    expect(JSON.parse(unauthorized.text)).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const limited = await post(url, mainRequest());
    expect(limited.response.status).toBe(429);
    expect(limited.response.headers.get("retry-after")).toBe("7");
    expect(Date.parse(limited.response.headers.get("anthropic-ratelimit-requests-reset") ?? "")).toBeGreaterThan(0);
    expect(JSON.parse(limited.text).error.type).toBe("rate_limit_error");
    const overloaded = await post(url, mainRequest());
    expect(overloaded.response.status).toBe(529);
    expect(JSON.parse(overloaded.text).error).toEqual({ type: "overloaded_error", message: "Overloaded" });
  });

  it("can send the error inside a 200 stream", async () => {
    const { url } = await start({ script: [apiError(529, { inStream: true })] });
    const { response, text: body } = await post(url, mainRequest());
    expect(response.status).toBe(200);
    expect(parseSse(body).map((event) => event.event)).toEqual(["message_start", "error"]);
  });

  it("turns an in-stream error into an HTTP error for a non-streaming request", async () => {
    const { url } = await start({ script: [apiError(529, { inStream: true })] });
    const { response, text: body } = await post(url, mainRequest({ stream: false }));
    expect(response.status).toBe(529);
    expect(JSON.parse(body).error.type).toBe("overloaded_error");
  });

  it("repeats a step as many times as asked", async () => {
    const { url } = await start({ script: [apiError(500, { repeat: 2 }), text("recovered")] });
    const statuses = [];
    for (let n = 0; n < 3; n += 1) statuses.push((await post(url, mainRequest())).response.status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it("cuts the connection mid-stream on a drop step", async () => {
    const { url } = await start({ script: [dropStream({ text: "partial" })] });
    const response = await fetch(`${url}/v1/messages`, { method: "POST", body: JSON.stringify(mainRequest()) });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it("holds a hang step open until close()", async () => {
    const opened = await start({ script: [hang()] });
    const pending = fetch(`${opened.url}/v1/messages`, { method: "POST", body: JSON.stringify(mainRequest()) });
    const outcome = await Promise.race([pending.then(() => "answered", () => "failed"), new Promise((resolve) => setTimeout(resolve, 200, "still waiting"))]);
    expect(outcome).toBe("still waiting");
    await opened.close();
    server = undefined;
    await expect(pending).rejects.toThrow();
  });

  it("answers an empty step with no content and zero output tokens", async () => {
    const { url } = await start({ script: [emptyReply()] });
    const events = parseSse((await post(url, mainRequest())).text);
    expect(events.filter((event) => event.event === "content_block_start")).toEqual([]);
    expect(events.find((event) => event.event === "message_delta")?.data).toMatchObject({ usage: { output_tokens: 0 } });
  });

  it("routes side requests without consuming script steps", async () => {
    const { url, requests, scriptedRequests } = await start({
      script: [text("main answer")],
      side: sideRoute({ system: "Generate a title" }, text("Title")),
    });
    const side = await post(url, mainRequest({ system: [{ type: "text", text: "Generate a title for this chat" }] }));
    expect(assembleContent(parseSse(side.text))).toEqual([{ type: "text", text: "Title" }]);
    const main = await post(url, mainRequest());
    expect(assembleContent(parseSse(main.text))).toEqual([{ type: "text", text: "main answer" }]);
    expect(requests.map((request) => request.answeredBy)).toEqual(["side", "script"]);
    expect(scriptedRequests()).toHaveLength(1);
  });

  it("sends tool-less haiku requests to the default side route", async () => {
    const { url, requests } = await start({ script: [text("main")] });
    await post(url, mainRequest({ model: "claude-haiku-4-5", tools: undefined }));
    expect((await post(url, mainRequest())).text).toContain("main");
    expect(requests.map((request) => request.answeredBy)).toEqual(["side", "script"]);
  });

  it("passes the request and its index to a script function", async () => {
    const seen: number[] = [];
    const { url } = await start({
      script: (request, index) => {
        seen.push(index);
        return text(`echo ${index}: ${(request.messages?.[0]?.content as string) ?? ""}`);
      },
    });
    const body = (await post(url, mainRequest())).text;
    expect(assembleContent(parseSse(body))).toEqual([{ type: "text", text: "echo 0: hi" }]);
    await post(url, mainRequest());
    expect(seen).toEqual([0, 1]);
  });

  it("answers 400 with an explanation once the script is exhausted", async () => {
    const { url } = await start({ script: [] });
    const { response, text: body } = await post(url, mainRequest());
    expect(response.status).toBe(400);
    expect(JSON.parse(body).error.message).toMatch(/no step for scripted request #0/);
  });

  it("refuses an invalid script at start", async () => {
    await expect(startModelServer({ script: [{ kind: "text" } as never] })).rejects.toThrow(/script\[0\]: a text step needs "text"/);
  });

  it("answers count_tokens and the model list; 404s unknown endpoints with an error body", async () => {
    const { url, otherRequests } = await start({ script: [] });
    const count = await post(url, { messages: [{ role: "user", content: "hello there" }] }, "/v1/messages/count_tokens?beta=true");
    expect(JSON.parse(count.text).input_tokens).toBeGreaterThan(0);
    const models = await fetch(`${url}/v1/models`);
    expect(((await models.json()) as { data: unknown[] }).data).toHaveLength(1);
    const unknown = await fetch(`${url}/v1/unknown`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { type: string } }).error.type).toBe("not_found_error");
    expect(otherRequests.map((request) => request.path)).toEqual(["/v1/messages/count_tokens?beta=true", "/v1/models", "/v1/unknown"]);
  });
});
