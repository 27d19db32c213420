#!/usr/bin/env node
// lab up | down | status | build: the local cluster for tests and the demo, run by hand.
// `./dev lab <command>` runs this file with Node 24 (type stripping, no build step).
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stageAgentImage, verifyAgentImage } from "./agent-image/agent-image.ts";
import { ensureControlPlaneBinaries } from "./control-plane/binaries.ts";
import { httpsGet } from "./control-plane/network.ts";
import { binaryDir, builderScript, defaultRunDir } from "./control-plane/paths.ts";
import { labNodeKindFromEnv } from "./lab.ts";
import { isAlive, type LabState, readLabState, removeLabState, stateFile } from "./lab-state.ts";
import { ensureNodeBinaries, runNodeBuilder } from "./real-node/node-binaries.ts";
import { cleanupStaleRealNode } from "./real-node/real-node.ts";

const usage = `usage: lab <command> [--dir DIR]

  up        build the control plane (and node) if needed, start the lab in the background, print its kubeconfig
            --node real|sim       the node that runs the pods (default: $CLAUDE_K8S_LAB_NODE, else sim)
  down      stop the lab and every process it started
  status    say whether the lab runs; print its kubeconfig paths
            --kubeconfig          print only the admin kubeconfig path (for KUBECONFIG=...)
            --proxied-kubeconfig  print only the kubeconfig that goes through the fault proxy
            --json                print the lab's state.json (includes the fault-proxy control token)
  build     build the control plane binaries (--kubectl also builds kubectl, --force rebuilds,
            --node real also builds the real node: kubelet, containerd, ctr, runc, CNI plugins)

--dir DIR   the lab's run dir (default: $CLAUDE_K8S_LAB_DIR, else ${defaultRunDir()})`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: "string" },
    kubeconfig: { type: "boolean" },
    "proxied-kubeconfig": { type: "boolean" },
    json: { type: "boolean" },
    kubectl: { type: "boolean" },
    force: { type: "boolean" },
    node: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
const dataDir = values.dir ?? process.env.CLAUDE_K8S_LAB_DIR ?? defaultRunDir();
const daemonScript = new URL("./lab-daemon.ts", import.meta.url).pathname;
const nodeKind = (() => {
  try {
    return labNodeKindFromEnv(values.node === undefined ? process.env : { CLAUDE_K8S_LAB_NODE: values.node });
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
})();

function fail(message: string, code = 1): never {
  console.error(`lab: ${message}`);
  process.exit(code);
}

/** The state of a lab whose owner process still runs, else undefined (stale state removed). */
function runningLab(): LabState | undefined {
  const state = readLabState(dataDir);
  if (!state) return undefined;
  if (isAlive(state.ownerPid)) return state;
  removeLabState(dataDir);
  return undefined;
}

async function up() {
  const running = runningLab();
  if (running) {
    console.log(`lab: already running in ${dataDir} (pid ${running.ownerPid})`);
    return printSummary(running);
  }
  // Before anything starts or builds: where the agent cannot reach its executables, say
  // which directory stops which uid, and the fix (the daemon finds the staged image again).
  verifyAgentImage(stageAgentImage());
  // Build in the foreground so the progress of a cold build is visible here.
  await ensureControlPlaneBinaries({ build: true });
  if (nodeKind === "real") await ensureNodeBinaries({ build: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const logPath = join(dataDir, "lab.log");
  const logFd = openSync(logPath, "w");
  const daemon = spawn(process.execPath, [daemonScript, dataDir], {
    detached: true,
    stdio: ["ignore", logFd, logFd],
    env: { ...process.env, CLAUDE_K8S_LAB_NODE: nodeKind },
  });
  closeSync(logFd);
  daemon.unref();
  let exited = false;
  daemon.on("exit", () => (exited = true));
  const started = Date.now();
  for (;;) {
    const state = readLabState(dataDir);
    if (state && state.ownerPid === daemon.pid) {
      console.log(`lab: up in ${((Date.now() - started) / 1000).toFixed(1)} s (Kubernetes ${state.kubernetesVersion})`);
      return printSummary(state);
    }
    if (exited) fail(`the lab did not start; ${logPath}:\n${readFileSync(logPath, "utf8").trimEnd()}`);
    if (Date.now() - started > 180_000) {
      if (daemon.pid) process.kill(daemon.pid, "SIGTERM");
      fail(`the lab was not ready after 180 s; see ${logPath}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function printSummary(state: LabState) {
  console.log(`kubeconfig:                ${state.kubeconfigPath}`);
  console.log(`kubeconfig via fault proxy: ${state.proxiedKubeconfigPath}`);
  console.log(`API server:                ${state.server}  (fault proxy ${state.proxyServer})`);
  console.log(`fault-proxy control API:   ${state.faultProxyControl.url}  (token in ${stateFile(state.dataDir)})`);
  // A lab started by an older checkout has no agent image in its state.
  if (state.agentImage) console.log(`agent image:               ${state.agentImage.image}  (claude and node staged in ${state.agentImage.binDir})`);
  console.log(`logs:                      ${join(state.dataDir, "logs")}`);
  const node = state.node;
  if (node?.kind === "real") {
    console.log(`node:                      ${node.name} (real: kubelet ${node.versions?.kubelet}, containerd ${node.versions?.containerd}, runc ${node.versions?.runc}, CNI plugins ${node.versions?.cniPlugins})`);
    console.log(`pod network:               ${node.podSubnet} on bridge ${node.bridge}; pods reach the host at ${node.podHostAddress}`);
    for (const [component, path] of Object.entries(node.logs)) console.log(`${`${component} log:`.padEnd(27)}${path}`);
  } else if (node) {
    console.log(`node:                      ${node.name} (kubelet-sim; log ${node.logs["kubelet-sim"]})`);
  }
  // The distribution's kubectl may be years older than the lab; prefer a matching one.
  const kubectl = join(binaryDir(state.kubernetesVersion), "kubectl");
  const kubectlHint = existsSync(kubectl) ? kubectl : "kubectl";
  console.log(`try: KUBECONFIG=${state.kubeconfigPath} ${kubectlHint} get namespaces`);
  if (!existsSync(kubectl)) console.log(`(a kubectl of ${state.kubernetesVersion}: lab build --kubectl)`);
}

async function down() {
  const state = readLabState(dataDir);
  if (!state) return console.log(`lab: no lab running in ${dataDir}`);
  if (isAlive(state.ownerPid)) {
    process.kill(state.ownerPid, "SIGTERM");
    const deadline = Date.now() + 30_000;
    while (isAlive(state.ownerPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(state.ownerPid)) process.kill(state.ownerPid, "SIGKILL");
  }
  // Components die with their owner (pdeathsig); this only catches what survived anyway,
  // checking the command line so a recycled pid is never hit.
  for (const [name, component] of Object.entries(state.processes)) {
    if (isAlive(component.pid) && commandOf(component.pid).includes(name)) process.kill(component.pid, "SIGKILL");
  }
  // A real node's containers, mounts, cgroups and bridge outlive a killed owner: remove them.
  if (await cleanupStaleRealNode(join(dataDir, "node"))) console.log("lab: removed the real node's leftovers");
  removeLabState(dataDir);
  console.log(`lab: stopped (${dataDir})`);
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
}

async function status() {
  const state = runningLab();
  if (!state) {
    if (values.kubeconfig || values["proxied-kubeconfig"] || values.json) fail(`no lab running in ${dataDir}; start it with: ./dev lab up`, 3);
    console.log(`lab: not running (${dataDir}); start it with: ./dev lab up`);
    process.exit(3);
  }
  if (values.kubeconfig) return console.log(state.kubeconfigPath);
  if (values["proxied-kubeconfig"]) return console.log(state.proxiedKubeconfigPath);
  if (values.json) return console.log(JSON.stringify(state, null, 2));
  const nodeReady = await nodeReadiness(state);
  const pkiDir = join(state.dataDir, "pki");
  const admin = { certPath: join(pkiDir, "admin.crt"), keyPath: join(pkiDir, "admin.key") };
  const ready = await httpsGet(`${state.server}/readyz`, { caPath: state.caPath, client: admin }).then(
    (answer) => (answer.status === 200 ? "API ready" : `API not ready (HTTP ${answer.status})`),
    (error: Error) => `API unreachable (${error.message})`,
  );
  const upFor = Math.round((Date.now() - Date.parse(state.startedAt)) / 1000);
  console.log(`lab: running in ${state.dataDir} (Kubernetes ${state.kubernetesVersion}, pid ${state.ownerPid}, up ${upFor} s), ${ready}${nodeReady}`);
  printSummary(state);
}

/** ", node lab-node-1 Ready" from the API server's view of the node. */
async function nodeReadiness(state: LabState): Promise<string> {
  if (!state.node) return "";
  const pkiDir = join(state.dataDir, "pki");
  const admin = { certPath: join(pkiDir, "admin.crt"), keyPath: join(pkiDir, "admin.key") };
  try {
    const answer = await httpsGet(`${state.server}/api/v1/nodes/${state.node.name}`, { caPath: state.caPath, client: admin });
    const conditions = (JSON.parse(answer.body) as { status?: { conditions?: Array<{ type: string; status: string }> } }).status?.conditions;
    const ready = conditions?.find((c) => c.type === "Ready")?.status;
    return `, node ${state.node.name} ${ready === "True" ? "Ready" : `not Ready (${ready ?? "no status"})`}`;
  } catch {
    return "";
  }
}

async function build() {
  const withNode = values.node === "real";
  // With the node, the control plane's Go build cache is kept for the kubelet (build-node.sh deletes it).
  const args = [builderScript, ...(values.kubectl ? ["--kubectl"] : []), ...(values.force ? ["--force"] : []), ...(withNode ? ["--keep-go-cache"] : [])];
  const child = spawn("bash", args, { stdio: "inherit" });
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
  if (code !== 0 || !withNode) process.exit(code);
  await runNodeBuilder(process.stderr, values.force ? ["--force"] : []);
}

const commands: Record<string, () => Promise<void>> = { up, down, status, build };
const command = positionals[0];
if (values.help || !command) {
  console.log(usage);
  process.exit(command ? 0 : 2);
}
const run = commands[command];
if (!run) fail(`unknown command "${command}"\n${usage}`, 2);
run().catch((error: Error) => fail(error.message));
