import { randomUUID } from "node:crypto";
import { startModelServer, text, toolUse } from "@claude-k8s/lab/source/model-server/index.ts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { execute } from "../execute.ts";
import { useLabAgent } from "../test-utils/lab-agent.ts";
import { paperclipContext } from "../test-utils/paperclip-context.ts";

// The server's own log (stderr), as a log pipeline reads it with CLAUDE_K8S_LOG_FORMAT=json:
// one JSON object per line, run lines tagged, and no secret value even when the agent prints it.
const agent = useLabAgent("server-log");
const written: string[] = [];

beforeAll(() => {
  // Before the logger exists: it reads the format once per process.
  vi.stubEnv("CLAUDE_K8S_LOG_FORMAT", "json");
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    written.push(String(chunk));
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write);
});
afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("the server log", () => {
  it("JSON lines with level, run, agent and Job; a credential the agent prints never reaches it", async () => {
    const secret = `sk-ant-e2e-${randomUUID()}`;
    const model = await startModelServer({ script: [toolUse("Bash", { command: "echo key=$ANTHROPIC_API_KEY" }), text("Printed it.")] });
    try {
      const base = agent.config(model);
      const run = paperclipContext({ config: { ...base, env: { ...(base.env as Record<string, string>), ANTHROPIC_API_KEY: secret } } });
      const result = await execute(run.ctx);
      expect(result.errorCode).toBeUndefined();
      const lines = written.join("").split("\n").filter((line) => line.startsWith("{"));
      const entries = lines.map((line) => JSON.parse(line) as Record<string, string>);
      const ofRun = entries.filter((entry) => entry.runId === run.ctx.runId);
      expect(ofRun.map((entry) => [entry.level, entry.msg])).toEqual([
        ["info", "Job starting"],
        ["info", "Job finished: success"],
        ["info", "run succeeded"],
      ]);
      for (const entry of ofRun) expect(entry).toMatchObject({ component: "claude-k8s", agentId: run.ctx.agent.id });
      for (const entry of ofRun.slice(0, 2)) expect(entry.job).toMatch(new RegExp(`^${agent.namespace}/`));
      expect(written.join("")).not.toContain(secret);
    } finally {
      await model.close();
    }
  });
});
