import { buildRunManifests, parseAdapterConfig, renderYaml, type RunContext } from "@claude-k8s/manifest";
import { parseArgs, stringFlag, UsageError } from "./args.ts";
import { readJsonObject } from "./config-file.ts";

export const renderHelp = `usage: claude-k8s render --config <adapter-config.json> [--context <run-context.json>] [-o yaml|json]

Prints the per-run Secret(s) and the Job this config would submit, Secret values redacted.
Nothing is sent to a cluster. Without --context a sample run of agent "render-agent" is used.

  --config FILE     the agent's adapterConfig as JSON
  --context FILE    a Paperclip run context: {runId, agent: {id, companyId, name}, runtime, context, authToken}
  -o, --output FMT  yaml (default) or json
`;

export function renderCommand(argv: readonly string[], io: { out: (text: string) => void }): number {
  const args = parseArgs(argv, { values: ["config", "context", "output"], booleans: [] });
  if (args.flags.has("help")) {
    io.out(renderHelp);
    return 0;
  }
  const configPath = stringFlag(args, "config");
  if (!configPath) throw new UsageError("render needs --config <adapter-config.json>");
  const output = stringFlag(args, "output") ?? "yaml";
  if (output !== "yaml" && output !== "json") throw new UsageError(`-o must be yaml or json, not ${JSON.stringify(output)}`);
  const parsed = parseAdapterConfig(readJsonObject(configPath, "adapter config"));
  if (!parsed.ok) throw new UsageError(parsed.error.message);
  const contextPath = stringFlag(args, "context");
  const run: RunContext = contextPath
    ? (readJsonObject(contextPath, "run context") as unknown as RunContext)
    : { runId: "00000000-0000-4000-8000-000000000001", agent: { id: "render-agent", companyId: "render-company", name: "Render" }, runtime: null, context: { wakeReason: "render", paperclipTaskMarkdown: "(the task)" }, authToken: "(the run's agent token)" };
  const manifests = buildRunManifests({ config: parsed.config, run });
  for (const warning of [...parsed.warnings, ...manifests.warnings]) process.stderr.write(`warning: ${warning}\n`);
  if (output === "yaml") {
    io.out(renderYaml(manifests));
    return 0;
  }
  const redacted = manifests.secrets.map((secret) => ({
    ...secret,
    data: Object.fromEntries(Object.entries(secret.data).map(([key, value]) => [key, `<redacted: ${Buffer.from(value, "base64").length} bytes>`])),
  }));
  io.out(`${JSON.stringify({ apiVersion: "v1", kind: "List", items: [...redacted, manifests.job] }, null, 2)}\n`);
  return 0;
}
