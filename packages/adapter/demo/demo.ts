// ./dev demo: one agent run through the adapter exactly as Paperclip makes it, on the
// embedded default (the lab: a real control plane and a simulated node), with the real
// Claude Code CLI in the pod doing real tool calls. The model is scripted unless
// ANTHROPIC_API_KEY is set; the cluster is the lab unless --kubeconfig or KUBECONFIG names
// another one.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { createKubeClient, KubeApiError } from "@claude-k8s/k8s-runtime";
import { connectFaultProxy } from "@claude-k8s/lab/source/fault-proxy/client.ts";
import { defaultRunDir } from "@claude-k8s/lab/source/control-plane/paths.ts";
import { isAlive, readLabState } from "@claude-k8s/lab/source/lab-state.ts";
import { startModelServer, text, toolUse } from "@claude-k8s/lab/source/model-server/index.ts";
import { parseArgs, stringFlag } from "../source/cli/args.ts";
import { liveTranscript } from "../source/cli/live-transcript.ts";
import { summaryLines } from "../source/cli/run-command.ts";
import { operatorConfigPolicy } from "@claude-k8s/manifest";
import { executeWithPolicy } from "../source/execute.ts";
import { closeRuntimes } from "../source/kube-access.ts";

const args = parseArgs(process.argv.slice(2), { values: ["kubeconfig", "image", "namespace"], booleans: [] });
if (args.flags.has("help")) {
  process.stdout.write(`usage: ./dev demo [--kubeconfig FILE --image IMAGE [--namespace NS]]

Runs one agent through the adapter and prints the transcript and a summary.
  default        the local lab and a scripted model (nothing leaves this machine)
  ANTHROPIC_API_KEY=...        use the real model instead of the scripted one
  --kubeconfig FILE (or KUBECONFIG)  use that cluster; then --image must name an image with the claude CLI
`);
  process.exit(0);
}
const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const say = (line: string) => process.stdout.write(`${color ? "\u001b[1m==>\u001b[0m" : "==>"} ${line}\n`);

const realCluster = stringFlag(args, "kubeconfig") ?? process.env.KUBECONFIG;
const realModel = process.env.ANTHROPIC_API_KEY;
const namespace = stringFlag(args, "namespace") ?? "claude-k8s-demo";

let kubeconfig: string;
let labImage: string | undefined;
let faultProxy: ReturnType<typeof connectFaultProxy> | undefined;
if (realCluster) {
  if (!stringFlag(args, "image")) {
    process.stderr.write("demo: on a real cluster --image must name an image that has the claude CLI (e.g. one built FROM node with npm i -g @anthropic-ai/claude-code)\n");
    process.exit(2);
  }
  kubeconfig = realCluster;
  say(`cluster: ${realCluster}`);
} else {
  // The run dir `lab up` uses too: $CLAUDE_K8S_LAB_DIR, else the default.
  const runDir = process.env.CLAUDE_K8S_LAB_DIR ?? defaultRunDir();
  const state = readLabState(runDir);
  if (!state || !isAlive(state.ownerPid)) {
    say("starting the lab (a real Kubernetes control plane and a simulated node on this machine)");
    const up = spawnSync(process.execPath, [path.resolve(import.meta.dirname, "../../lab/source/cli.ts"), "up"], { stdio: "inherit" });
    if (up.status !== 0) process.exit(up.status ?? 1);
  } else say(`the lab is already up (Kubernetes ${state.kubernetesVersion})`);
  const running = readLabState(runDir)!;
  if (!running.agentImage) {
    process.stderr.write("demo: the running lab was started by an older checkout and has no agent image; restart it: ./dev lab down && ./dev demo\n");
    process.exit(1);
  }
  // The lab's agent image: the real `claude` (and node) staged where the pod's uid 1000 reaches them.
  labImage = running.agentImage.image;
  kubeconfig = running.proxiedKubeconfigPath;
  faultProxy = connectFaultProxy(running.faultProxyControl);
  await ensureNamespace(running.kubeconfigPath, namespace);
}

const model = realModel
  ? undefined
  : await startModelServer({
      script: [
        toolUse("Bash", { command: "uname -sr && id -u && pwd" }, { text: "Let me look at where I am running." }),
        toolUse("Write", { file_path: "/tmp/demo/notes.md", content: "# Notes\n\nWritten by an agent in a Kubernetes Job.\n" }),
        toolUse("Read", { file_path: "/tmp/demo/notes.md" }),
        text("I ran as uid 1000 inside the Job's pod, wrote /tmp/demo/notes.md and read it back. Done."),
      ],
    });
say(realModel ? "model: Anthropic's API (ANTHROPIC_API_KEY)" : `model: scripted, on ${model!.url} (set ANTHROPIC_API_KEY for the real one)`);

const config: Record<string, unknown> = {
  kubeconfig,
  namespace,
  image: stringFlag(args, "image") ?? labImage,
  promptTemplate: "",
  env: {
    ANTHROPIC_API_KEY: realModel ?? "sk-ant-scripted-demo",
    ...(model ? { ANTHROPIC_BASE_URL: model.url, CLAUDE_CODE_MAX_RETRIES: "1" } : {}),
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
  },
};

const before = await faultProxy?.stats();
const transcript = liveTranscript((chunk) => void process.stdout.write(chunk), { color });
const started = Date.now();
say("running one agent through the adapter (Secret, Job, pod, live transcript, cleanup)\n");
// The person running the demo wrote this config (the lab's kubeconfig and image): like the
// CLI, it is the operator's, and the policy for agent configs written in Paperclip does not apply.
const result = await executeWithPolicy({
  runId: randomUUID(),
  agent: { id: "demo-agent", companyId: "demo-company", name: "Demo" },
  runtime: { sessionId: null, sessionParams: null, sessionDisplayId: null, taskKey: "demo" },
  config,
  context: { issueId: "demo", wakeReason: "demo", paperclipTaskMarkdown: "Find out where you run, write /tmp/demo/notes.md, read it back, then say what you did." },
  onLog: transcript.onLog,
  onCancellationReady: () => {},
}, operatorConfigPolicy);
transcript.stop();
await closeRuntimes();
await model?.close();

const lines = summaryLines(result, Date.now() - started);
if (before && faultProxy) {
  const after = await faultProxy.stats();
  const used = Object.entries(after.requests)
    .map(([key, count]) => [key, count - (before.requests[key] ?? 0)] as const)
    .filter(([, count]) => count > 0);
  const total = used.reduce((sum, [, count]) => sum + count, 0);
  lines.push(`api       ${total} requests: ${used.map(([key, count]) => `${key} ${count}`).join(", ")}`);
}
process.stdout.write(`${lines.join("\n")}\n`);
process.exitCode = result.errorMessage === undefined ? 0 : 1;

/** The demo namespace, with Pod Security "restricted" enforced: the Job must be admitted there. */
async function ensureNamespace(adminKubeconfig: string, name: string): Promise<void> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(adminKubeconfig);
  const client = await createKubeClient(kubeConfig);
  try {
    await client.request({ method: "POST", path: "/api/v1/namespaces", body: { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "pod-security.kubernetes.io/enforce": "restricted" } } } });
  } catch (error) {
    if (!(error instanceof KubeApiError && error.isConflict)) throw error;
  } finally {
    client.close();
  }
}
