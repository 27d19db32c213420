import { apiError, emptyReply, startModelServer, text, toolUse } from "@claude-k8s/lab/source/model-server/index.ts";
import { eventually, runLeftovers } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { describe, expect, it } from "vitest";
import { execute } from "../execute.ts";
import { useLabAgent } from "../test-utils/lab-agent.ts";
import { paperclipContext } from "../test-utils/paperclip-context.ts";

// What the model does decides the outcome: each case runs the real CLI in a lab pod against
// a scripted model, and checks the result Paperclip gets and that the run left nothing.
const agent = useLabAgent("outcomes");

async function runWith(script: Parameters<typeof startModelServer>[0]["script"], extra: Record<string, unknown> = {}) {
  const model = await startModelServer({ script });
  try {
    const run = paperclipContext({ config: agent.config(model, extra) });
    const result = await execute(run.ctx);
    await eventually("no leftovers", async () => ((await runLeftovers(agent.namespace, run.ctx.runId)).length === 0 ? true : undefined), 150_000);
    return { result, run, model };
  } finally {
    await model.close();
  }
}

describe("outcomes decided by the model's behaviour", () => {
  it("max turns: max_turns_exhausted, and the session is cleared", async () => {
    const { result } = await runWith([toolUse("Bash", { command: "echo 1" }, { repeat: 5 }), text("never reached")], { maxTurnsPerRun: 1 });
    expect(result).toMatchObject({ errorCode: "max_turns_exhausted", clearSession: true });
  });

  it("429 on every attempt: claude_transient_upstream in the transient_upstream family", async () => {
    const { result } = await runWith([apiError(429, { repeat: "forever", retryAfterSeconds: 1 })]);
    expect(result).toMatchObject({ errorCode: "claude_transient_upstream", errorFamily: "transient_upstream" });
  });

  it("529 overloaded: claude_transient_upstream", async () => {
    const { result } = await runWith([apiError(529, { repeat: "forever", retryAfterSeconds: 1 })]);
    expect(result).toMatchObject({ errorCode: "claude_transient_upstream", errorFamily: "transient_upstream" });
  });

  it("an empty model answer: llm_api_error, never a success", async () => {
    const { result } = await runWith([emptyReply({ repeat: "forever" })]);
    expect(result.errorCode).toBe("llm_api_error");
    expect(result.errorMessage).toMatch(/empty answer/);
  });
});
