// `./dev bench manifest`: how long one run's manifests take to build and render.
// Numbers are per operation, median of several rounds, on whatever machine runs it.
import { buildRunManifests } from "./build-run-manifests.ts";
import { parseAdapterConfig } from "./config/parse-adapter-config.ts";
import { renderYaml } from "./yaml.ts";

const rawConfig = {
  model: "claude-sonnet-4-6",
  maxTurnsPerRun: "200",
  timeoutSec: "3600",
  labels: "team=platform\ntier=agents",
  mcpServers: { github: { type: "http", url: "https://api.githubcopilot.com/mcp/" } },
  env: { GIT_AUTHOR_NAME: "ceo", GITHUB_TOKEN: "ghp_example" },
  enableRtk: true,
};

function parsed() {
  const result = parseAdapterConfig(rawConfig);
  if (!result.ok) throw result.error;
  return result.config;
}

function input(taskMarkdownBytes: number) {
  return {
    config: parsed(),
    run: {
      runId: "9b8a7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d",
      agent: { id: "4f9c2d1e-7a3b-4c5d-9e8f-0a1b2c3d4e5f", companyId: "c0ffee00-1111-2222-3333-444455556666", name: "CEO" },
      context: {
        wakeReason: "issue_assigned",
        paperclipTaskMarkdown: "t".repeat(taskMarkdownBytes),
        paperclipWorkspace: { cwd: "/paperclip/instances/default/workspaces/ceo" },
      },
      authToken: "jwt",
    },
    selfPod: { namespace: "paperclip", image: "agent:1", dataVolumeClaim: "data", dataMountPath: "/paperclip" },
    rtkHook: { program: "x".repeat(20_000) },
  };
}

function measure(name: string, iterations: number, fn: () => unknown): void {
  const rounds: number[] = [];
  for (let round = 0; round < 7; round++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    rounds.push(((performance.now() - start) * 1000) / iterations);
  }
  rounds.sort((a, b) => a - b);
  console.log(`${name.padEnd(48)} ${rounds[3]!.toFixed(1).padStart(9)} µs/op`);
}

const small = input(2_000);
const large = input(600_000);
const manifests = buildRunManifests(small);
measure("parseAdapterConfig (typical config)", 2000, parsed);
measure("buildRunManifests (2 KB task markdown)", 1000, () => buildRunManifests(small));
measure("buildRunManifests (600 KB task markdown)", 50, () => buildRunManifests(large));
measure("renderYaml (Secret + Job, redacted)", 1000, () => renderYaml(manifests));
