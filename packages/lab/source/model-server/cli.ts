#!/usr/bin/env node
// model-server --script FILE [--port N]: a scripted Anthropic Messages API on loopback, for
// the demo and for poking at the CLI by hand. Prints the URL, logs each request on stderr.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startModelServer } from "./model-server.ts";
import { validateScript } from "./validate-step.ts";

const usage = `usage: node packages/lab/source/model-server/cli.ts --script FILE [--port N]

  --script FILE   JSON array of steps, answered in order, e.g.
                  [{"kind":"tool_use","calls":[{"name":"Bash","input":{"command":"ls"}}]},
                   {"kind":"text","text":"Done."}]
                  kinds: text, tool_use, error (status), drop, hang, empty
  --port N        port on 127.0.0.1 (default: any free port)

Prints "http://127.0.0.1:PORT" on stdout; use it as ANTHROPIC_BASE_URL. Stops on SIGINT/SIGTERM.`;

function fail(message: string): never {
  console.error(`model-server: ${message}\n\n${usage}`);
  process.exit(2);
}

let values: { script?: string; port?: string; help?: boolean };
try {
  ({ values } = parseArgs({ options: { script: { type: "string" }, port: { type: "string" }, help: { type: "boolean", short: "h" } } }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (!values.script) fail("--script FILE is required");
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer 0-65535, got ${JSON.stringify(values.port)}`);

let script: ReturnType<typeof validateScript>;
try {
  script = validateScript(JSON.parse(readFileSync(values.script, "utf8")), values.script);
} catch (error) {
  fail((error as Error).message);
}

const server = await startModelServer({
  script,
  port,
  onRequest: (request) =>
    console.error(`model-server: #${request.index} ${request.answeredBy} model=${request.body.model} -> ${request.step?.kind ?? "script exhausted (400)"}`),
});
console.log(server.url);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void server.close().then(() => process.exit(0)));
}
