import { startModelServer, text, toolResults, toolUse } from "@claude-k8s/lab/source/model-server/index.ts";
import { eventually, runLeftovers } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { describe, expect, it } from "vitest";
import { execute } from "../execute.ts";
import { useLabAgent } from "../test-utils/lab-agent.ts";
import { paperclipContext } from "../test-utils/paperclip-context.ts";

// enableRtk in a pod: the hook program travels in the run's Secret and is registered for
// PreToolUse (the Bash rewrite) and PostToolUse. A failing command, which fires
// PostToolUseFailure (no hook can replace that output), must reach the model reduced, with
// its exit status and its error line, because the rewrite reduced it inside the command.
const agent = useLabAgent("rtk");
const noLeftovers = (runId: string) => eventually("no leftovers", async () => ((await runLeftovers(agent.namespace, runId)).length === 0 ? true : undefined), 150_000);

describe("enableRtk", () => {
  it("a failing Bash command reaches the model reduced, with its exit status and error line, through the PreToolUse rewrite", async () => {
    const command = 'for i in $(seq 1 3000); do echo "compiling unit $i of 3000"; done; echo "error: unit 1234 failed to link" >&2; exit 3';
    const model = await startModelServer({ script: [toolUse("Bash", { command }), text("Done.")] });
    try {
      const run = paperclipContext({ config: agent.config(model, { enableRtk: true, rtkMaxOutputBytes: 20000 }) });
      const result = await execute(run.ctx);
      expect(result.errorMessage).toBeUndefined();
      await noLeftovers(run.ctx.runId);
      const [received] = toolResults(model.scriptedRequests().at(-1)!.body);
      expect(received!.isError).toBe(true);
      expect(received!.content.startsWith("Exit code 3\n")).toBe(true);
      expect(received!.content).toContain("error: unit 1234 failed to link");
      expect(received!.content).toContain("compiling unit 3000 of 3000");
      // Tee mode: the cut marker names the file with the full output, in the pod.
      expect(received!.content).toMatch(/\[rtk-hook: cut \d+ of 3001 lines .*Full output: \/\S+\.log\]/);
      // Without the rewrite Claude sends the first ~10000 characters of a failing command.
      expect(Buffer.byteLength(received!.content)).toBeLessThan(6000);
    } finally {
      await model.close();
    }
  });
});
