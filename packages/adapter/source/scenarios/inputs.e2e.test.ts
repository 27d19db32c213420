import { lastUserText, startModelServer, text } from "@claude-k8s/lab/source/model-server/index.ts";
import { eventually, runLeftovers } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { describe, expect, it } from "vitest";
import { execute } from "../execute.ts";
import { useLabAgent } from "../test-utils/lab-agent.ts";
import { paperclipContext } from "../test-utils/paperclip-context.ts";

// Hostile and huge prompts reach the model exactly as written, or are refused clearly.
const agent = useLabAgent("inputs");
const noLeftovers = (runId: string) => eventually("no leftovers", async () => ((await runLeftovers(agent.namespace, runId)).length === 0 ? true : undefined), 150_000);

async function runPrompt(prompt: string) {
  const model = await startModelServer({ script: [text("Received.")] });
  try {
    const run = paperclipContext({ config: agent.config(model, { promptTemplate: "" }), prompt });
    const result = await execute(run.ctx);
    await noLeftovers(run.ctx.runId);
    return { result, received: model.scriptedRequests()[0] ? lastUserText(model.scriptedRequests()[0]!.body) : undefined };
  } finally {
    await model.close();
  }
}

describe("prompts", () => {
  it("a prompt full of shell metacharacters reaches the model verbatim", async () => {
    const prompt = `$(rm -rf /tmp/x) \`id\` "double" 'single' $HOME \${PATH} ; && || | > < * ? ~ { } [ ] ! # % \\ \\n\nsecond line\ttab ünïcödé ✓ $(( 1 + 1 ))`;
    const { result, received } = await runPrompt(prompt);
    expect(result.errorMessage).toBeUndefined();
    expect(received).toContain(prompt);
  });

  // The public adapter failed between 128 and 256 KiB (one env string over Linux's limit).
  // 400 KiB stays under the model context the CLI checks (it refuses ~900 KiB itself).
  it("a 400 KiB prompt runs and reaches the model whole", async () => {
    const prompt = `Start.\n${"The quick brown fox jumps over the lazy dog. ".repeat(9_320)}\nEnd.`;
    expect(Buffer.byteLength(prompt)).toBeGreaterThan(400 * 1024);
    const { result, received } = await runPrompt(prompt);
    expect(result.errorMessage).toBeUndefined();
    expect(received?.length).toBeGreaterThanOrEqual(prompt.length);
  });

  it("a 1 MiB prompt cannot fit a Secret: k8s_secret_too_large before anything is created", async () => {
    const prompt = "x".repeat(1024 * 1024);
    const model = await startModelServer({ script: [text("never")] });
    try {
      const run = paperclipContext({ config: agent.config(model, { promptTemplate: "" }), prompt });
      const result = await execute(run.ctx);
      expect(result.errorCode).toBe("k8s_secret_too_large");
      expect(result.errorMessage).toMatch(/1 MiB|1048576/);
      expect(model.requests).toHaveLength(0);
      expect(await runLeftovers(agent.namespace, run.ctx.runId)).toEqual([]);
    } finally {
      await model.close();
    }
  });
});
