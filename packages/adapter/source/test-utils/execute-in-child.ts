// Test utility: one execute() in a process of its own, as a second Paperclip server (or a
// restarted one) would run it. Reads its spec as JSON from argv[2]; prints every log chunk
// to stderr and the result as the last stdout line.
import { execute } from "../execute.ts";
import { closeRuntimes } from "../kube-access.ts";

const spec = JSON.parse(process.argv[2] ?? "{}") as { config: Record<string, unknown>; agentId: string; runId: string; issueId: string; sessionId?: string };
const result = await execute({
  runId: spec.runId,
  agent: { id: spec.agentId, companyId: "company-e2e", name: "Child" },
  runtime: { sessionId: spec.sessionId ?? null, sessionParams: spec.sessionId ? { sessionId: spec.sessionId } : null, sessionDisplayId: null, taskKey: spec.issueId },
  config: spec.config,
  context: { issueId: spec.issueId, paperclipTaskMarkdown: "Work on the task." },
  onLog: async (_stream, chunk) => {
    process.stderr.write(chunk);
  },
});
await closeRuntimes();
process.stdout.write(`${JSON.stringify(result)}\n`);
