import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { operatorConfigPolicy } from "@claude-k8s/manifest";
import { executeWithPolicy } from "../execute.ts";
import { closeRuntimes } from "../kube-access.ts";
import type { AdapterExecutionResult } from "../paperclip-types.ts";
import { parseArgs, stringFlag, UsageError } from "./args.ts";
import { readJsonObject } from "./config-file.ts";
import { exitStatusOf } from "./exit-status.ts";
import { labTarget } from "./lab-target.ts";
import { liveTranscript } from "./live-transcript.ts";

export const runHelp = `usage: claude-k8s run --config <adapter-config.json> (--prompt <text> | --prompt-file <file>) [options]

One agent run, exactly as Paperclip makes it: a Job in the cluster, the transcript live,
then a summary. Exit status: 0 success, 1 the agent or model failed, 2 usage error,
3 cluster failure (k8s_*), 4 config error, 5 cancelled, 6 timeout.

  --config FILE        the agent's adapterConfig as JSON (the keys Paperclip stores)
  --prompt TEXT        what to ask the agent (or --prompt-file FILE)
  --lab                run in the local lab (./dev lab up) instead of KUBECONFIG's cluster
  --kubeconfig FILE    the cluster to use (overrides the config's kubeconfig and KUBECONFIG)
  --agent-id ID        the agent id (default: cli-agent); runs of one agent never overlap
  --session ID         resume this Claude session
  --json               print only the result as JSON on stdout (transcript and summary go to stderr)
`;

export async function runCommand(argv: readonly string[], io: { out: (text: string) => void; err: (text: string) => void; color: boolean }): Promise<number> {
  const args = parseArgs(argv, { values: ["config", "prompt", "prompt-file", "kubeconfig", "agent-id", "session"], booleans: ["lab", "json"] });
  if (args.flags.has("help")) {
    io.out(runHelp);
    return 0;
  }
  const configPath = stringFlag(args, "config");
  if (!configPath) throw new UsageError("run needs --config <adapter-config.json>");
  const promptFile = stringFlag(args, "prompt-file");
  const prompt = stringFlag(args, "prompt") ?? (promptFile ? readFileSync(promptFile, "utf8") : undefined);
  if (prompt === undefined || prompt.trim() === "") throw new UsageError("run needs --prompt <text> or --prompt-file <file>");

  const config = readJsonObject(configPath, "adapter config");
  const kubeconfig = stringFlag(args, "kubeconfig") ?? (args.flags.has("lab") ? labTarget().proxiedKubeconfigPath : undefined);
  if (kubeconfig) config.kubeconfig = kubeconfig;
  // The prompt is exactly what was given: no heartbeat template around it unless the config sets one.
  if (config.promptTemplate === undefined) config.promptTemplate = "";

  // With --json, stdout carries the result alone: everything for people goes to stderr.
  const json = args.flags.has("json");
  const human = json ? io.err : io.out;
  const transcript = liveTranscript(human, { color: io.color });
  const session = stringFlag(args, "session");
  const abort = new AbortController();
  const onSignal = () => {
    human("\ncancelling: deleting the Job and waiting for its pods to go...\n");
    abort.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const started = Date.now();
  let result: AdapterExecutionResult;
  try {
    // The person running the CLI wrote this config: the agent-config policy does not apply.
    result = await executeWithPolicy({
      runId: randomUUID(),
      agent: { id: stringFlag(args, "agent-id") ?? "cli-agent", companyId: "cli", name: "claude-k8s run" },
      runtime: { sessionId: session ?? null, sessionParams: session ? { sessionId: session } : null, sessionDisplayId: session ?? null, taskKey: null },
      config,
      context: { paperclipTaskMarkdown: prompt, wakeReason: "cli" },
      onLog: transcript.onLog,
      signal: abort.signal,
    }, operatorConfigPolicy);
  } finally {
    transcript.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await closeRuntimes();
  }
  human(`${summaryLines(result, Date.now() - started).join("\n")}\n`);
  if (json) io.out(`${JSON.stringify(result, null, 2)}\n`);
  return exitStatusOf(result);
}

export function summaryLines(result: AdapterExecutionResult, elapsedMs: number): string[] {
  const job = (result.resultJson?.kubernetes ?? {}) as { job?: string; namespace?: string };
  const usage = result.usage;
  return [
    "",
    `outcome   ${result.errorCode ?? "success"}${result.errorMessage ? `: ${result.errorMessage.split("\n")[0]}` : ""}`,
    ...(usage ? [`tokens    in ${usage.inputTokens} · out ${usage.outputTokens} · cached ${usage.cachedInputTokens ?? 0}`] : []),
    ...(result.costUsd !== undefined ? [`cost      $${result.costUsd.toFixed(4)}`] : []),
    `duration  ${(elapsedMs / 1000).toFixed(1)} s`,
    ...(job.job ? [`job       ${job.namespace}/${job.job}`] : []),
    ...(result.sessionDisplayId ? [`session   ${result.sessionDisplayId}`] : []),
  ];
}
