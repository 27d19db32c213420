// A minimal MCP server over stdio (newline-delimited JSON-RPC) with one tool, `emit`, that
// returns a text block of `lines` numbered lines plus, when asked, an image block. Tests use
// it to see the shape Claude Code hands a PostToolUse hook for MCP tools.
import { createInterface } from "node:readline";

type Message = { jsonrpc: "2.0"; id?: number | string; method?: string; params?: Record<string, unknown> };

const tool = {
  name: "emit",
  description: "Prints numbered lines (and optionally a tiny image).",
  inputSchema: {
    type: "object",
    properties: { lines: { type: "number" }, image: { type: "boolean" } },
    required: ["lines"],
  },
};

// A 1x1 transparent PNG.
const pixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

function reply(id: Message["id"], result: unknown) {
  process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", id, result })}\n`);
}

function callTool(params: Record<string, unknown>) {
  const args = (params.arguments ?? {}) as { lines?: number; image?: boolean };
  const count = Math.max(0, Math.floor(args.lines ?? 0));
  const text = Array.from({ length: count }, (_, n) => `mcp line ${n + 1} of ${count}: ${"x".repeat(40)}`).join("\n");
  const content: Array<Record<string, unknown>> = [{ type: "text", text }];
  if (args.image) content.push({ type: "image", data: pixel, mimeType: "image/png" });
  return { content };
}

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === "") continue;
  const message = JSON.parse(line) as Message;
  if (message.id === undefined) continue; // notifications need no answer
  switch (message.method) {
    case "initialize":
      reply(message.id, {
        protocolVersion: message.params?.protocolVersion ?? "2025-06-18",
        capabilities: { tools: {} },
        serverInfo: { name: "output", version: "1.0.0" },
      });
      break;
    case "tools/list":
      reply(message.id, { tools: [tool] });
      break;
    case "tools/call":
      reply(message.id, callTool(message.params ?? {}));
      break;
    default:
      process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: `no method ${message.method}` } })}\n`);
  }
}
