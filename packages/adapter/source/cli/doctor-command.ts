import { closeRuntimes } from "../kube-access.ts";
import { operatorConfigPolicy } from "@claude-k8s/manifest";
import { probeRun } from "../doctor/run-probe.ts";
import { overallStatus, testEnvironmentWithPolicy } from "../test-environment.ts";
import { parseArgs, stringFlag, UsageError } from "./args.ts";
import { readJsonObject } from "./config-file.ts";
import { labTarget } from "./lab-target.ts";
import { unownedJobChecks } from "./unowned-jobs.ts";

export const doctorHelp = `usage: claude-k8s doctor --config <adapter-config.json> [--lab | --kubeconfig FILE] [--json] [--no-probe]

The environment test Paperclip runs, for a person: credentials, API server, namespace,
every permission the adapter uses, the shared volume, image pull Secrets; and, as warnings,
running Jobs with claude-k8s's labels but no owner mark (never deleted automatically). Then
it proves a run can work: a server-side dry-run create of the run's Secret and Job (Pod
Security, quota, LimitRange, webhooks) and a probe Job with the run's image, ServiceAccount,
uid, mounts and credentials that reports claude, node and git versions, HOME and the
workspace writable and the names (never values) of the credential variables the pod gets.
The probe has its own deadline (about 3 minutes) and is deleted afterwards; --no-probe skips
both. Progress goes to stderr. Exit status 1 when something fails. --json prints the result
(status and every check) as JSON.
`;

export async function doctorCommand(argv: readonly string[], io: { out: (text: string) => void; err?: (text: string) => void; color: boolean }): Promise<number> {
  const args = parseArgs(argv, { values: ["config", "kubeconfig"], booleans: ["lab", "json", "no-probe"] });
  if (args.flags.has("help")) {
    io.out(doctorHelp);
    return 0;
  }
  const configPath = stringFlag(args, "config");
  if (!configPath) throw new UsageError("doctor needs --config <adapter-config.json>");
  const config = readJsonObject(configPath, "adapter config");
  const kubeconfig = stringFlag(args, "kubeconfig") ?? (args.flags.has("lab") ? labTarget().proxiedKubeconfigPath : undefined);
  if (kubeconfig) config.kubeconfig = kubeconfig;
  // The person running doctor wrote this config: the agent-config policy does not apply.
  let result = await testEnvironmentWithPolicy({ companyId: "cli", adapterType: "claude_k8s", config }, operatorConfigPolicy);
  if (!args.flags.has("no-probe")) {
    const progress = (line: string) => io.err?.(`doctor: ${line}\n`);
    if (result.status === "fail") progress("the run probe is skipped: fix the failed checks first");
    else {
      const probeChecks = await probeRun(config, operatorConfigPolicy, progress);
      result = withChecks(result, probeChecks);
    }
  }
  await closeRuntimes();
  result = withChecks(result, await unownedJobChecks(config));
  if (args.flags.has("json")) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return result.status === "fail" ? 1 : 0;
  }
  const mark = { info: io.color ? "\u001b[32m✓\u001b[0m" : "ok  ", warn: io.color ? "\u001b[33m!\u001b[0m" : "warn", error: io.color ? "\u001b[31m✗\u001b[0m" : "FAIL" } as const;
  for (const check of result.checks) {
    io.out(`${mark[check.level]} ${check.message}\n`);
    if (check.detail) io.out(`    ${check.detail.split("\n").join("\n    ")}\n`);
    if (check.hint && check.level !== "info") io.out(`    fix: ${check.hint}\n`);
  }
  io.out(`\n${result.status}\n`);
  return result.status === "fail" ? 1 : 0;
}

type EnvironmentResult = Awaited<ReturnType<typeof testEnvironmentWithPolicy>>;

/** The result with more checks, its status the worst of them all. */
function withChecks(result: EnvironmentResult, more: EnvironmentResult["checks"]): EnvironmentResult {
  if (more.length === 0) return result;
  const checks = [...result.checks, ...more];
  return { ...result, checks, status: overallStatus(checks) };
}
