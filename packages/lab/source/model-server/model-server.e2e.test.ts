import { afterEach, describe, expect, it } from "vitest";
import { toolResults } from "./messages-request.ts";
import { type ModelServer, type ModelServerOptions, startModelServer } from "./model-server.ts";
import { runClaude } from "./run-claude.ts";
import { apiError, dropStream, text, toolUse } from "./steps.ts";

// The real Claude Code CLI (devDependency, 2.1.330) against the scripted server.

let server: ModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: ModelServerOptions) {
  server = await startModelServer(options);
  return server;
}

describe("the real CLI against the model server", () => {
  it("prints a scripted text answer as its result", async () => {
    const { url, requests } = await start({ script: [text("Hello from the script.")] });
    const run = await runClaude({ baseUrl: url, prompt: "say hello" });
    expect(run.exitCode).toBe(0);
    expect(run.result).toMatchObject({ subtype: "success", is_error: false, result: "Hello from the script." });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.path).toBe("/v1/messages?beta=true");
    expect(requests[0]!.body.stream).toBe(true);
  });

  it("runs a scripted Bash call for real and sends its output back to the model", async () => {
    const { url, scriptedRequests } = await start({
      script: [toolUse("Bash", { command: "echo marker-$((40 + 2)); printf 'a\\nb\\n' | wc -l" }), text("It printed 42.")],
    });
    const run = await runClaude({ baseUrl: url, prompt: "run it" });
    expect(run.exitCode).toBe(0);
    expect(run.result).toMatchObject({ is_error: false, result: "It printed 42.", num_turns: 2 });
    const [result] = toolResults(scriptedRequests()[1]!.body);
    // The shell really ran: the arithmetic and the pipe were evaluated.
    expect(result).toMatchObject({ content: "marker-42\n2", isError: false });
  });

  it("ends a run on a 401 with is_error, terminal_reason api_error and the status", async () => {
    const { url, requests } = await start({ script: [apiError(401, { repeat: "forever" })] });
    const run = await runClaude({ baseUrl: url, prompt: "hello" });
    expect(run.exitCode).toBe(1);
    expect(run.result).toMatchObject({ is_error: true, terminal_reason: "api_error", api_error_status: 401 });
    expect(run.events.some((event) => event.subtype === "api_retry" && event.error_status === 401)).toBe(true);
    // CLAUDE_CODE_MAX_RETRIES=1: the first try and one retry.
    expect(requests).toHaveLength(2);
  });

  it("retries a dropped stream and recovers", async () => {
    const { url, requests } = await start({ script: [dropStream(), text("Second try worked.")] });
    const run = await runClaude({ baseUrl: url, prompt: "hello" });
    expect(run.result).toMatchObject({ is_error: false, result: "Second try worked." });
    expect(requests).toHaveLength(2);
  });
});
