import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type AgentImage, agentImageCatalog, stageAgentImage, verifyAgentImage } from "./agent-image/agent-image.ts";
import { type ControlPlane, startControlPlane } from "./control-plane/control-plane.ts";
import { type FaultProxy, startFaultProxy } from "./fault-proxy/fault-proxy.ts";
import { labImages } from "./kubelet-sim/lab-images.ts";
import type { ImageCatalog } from "./kubelet-sim/image-catalog.ts";
import { type LabNode, startLabNode } from "./kubelet-sim/lab-node.ts";
import { startLocalProvisioner } from "./local-provisioner/local-provisioner.ts";
import { isAlive, type LabNodeKind, type LabState, readLabState, removeLabState, writeLabState } from "./lab-state.ts";
import { type RealNode, startRealNode } from "./real-node/real-node.ts";

export type StartLabOptions = {
  /** The lab's run dir (certificates, etcd data, logs, kubeconfigs, state.json). */
  dataDir: string;
  /** "if-missing" builds the control plane on a cold cache (~7 min on 2 cores, progress on stderr). */
  build: "if-missing" | "never";
  log?: (line: string) => void;
  /** kubelet-sim's image catalog; default `labImages` (lab.local/missing:*, lab.local/slow:*). The agent image is always added. */
  images?: ImageCatalog;
  /**
   * Which node runs the pods: "real" (kubelet + containerd + runc built from Go modules,
   * see source/real-node/) or "sim" (kubelet-sim). Default: $CLAUDE_K8S_LAB_NODE, else "sim".
   */
  node?: LabNodeKind;
  /** Real node only: the kubelet's containerLogMaxSize (default 10Mi). */
  containerLogMaxSize?: string;
};

/** The node kind asked for by $CLAUDE_K8S_LAB_NODE ("real" or "sim"; default "sim"). */
export function labNodeKindFromEnv(env: NodeJS.ProcessEnv = process.env): LabNodeKind {
  const value = env.CLAUDE_K8S_LAB_NODE ?? "sim";
  if (value !== "real" && value !== "sim") {
    throw new Error(`lab: CLAUDE_K8S_LAB_NODE must be "real" or "sim", got "${value}"`);
  }
  return value;
}

export type Lab = {
  controlPlane: ControlPlane;
  faultProxy: FaultProxy;
  /** The node that runs the pods: kubelet-sim (a child process) or the real node. */
  node: (LabNode & { kind: "sim" }) | RealNode;
  /** `lab.local/claude-code:<version>`: the Claude Code CLI and node, staged where the agent's uid 1000 reaches them (kubelet-sim). */
  agentImage: AgentImage;
  /** cluster-admin straight to the API server. */
  kubeconfigPath: string;
  /** cluster-admin through the fault proxy: use this for code whose API load is measured. */
  proxiedKubeconfigPath: string;
  /** Runs `fn` when the lab stops, before the control plane goes (latest first). */
  onStop(fn: () => Promise<void> | void): void;
  stop(): Promise<void>;
};

/**
 * The whole lab: control plane, fault proxy, and (added by the kubelet-sim work) the
 * simulated node. Components that need the cluster start after `startFaultProxy` below
 * and register their shutdown with `lab.onStop`.
 */
export async function startLab(options: StartLabOptions): Promise<Lab> {
  const started = Date.now();
  // Before anything starts: a lab whose agent cannot reach its executables is no use.
  const agentImage = stageAgentImage();
  verifyAgentImage(agentImage);
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  // Starting wipes the dir's certificates and etcd data: never under a lab that still runs.
  const running = readLabState(options.dataDir);
  if (running && isAlive(running.ownerPid)) {
    throw new Error(
      `lab: a lab already runs in ${options.dataDir} (owner pid ${running.ownerPid}); ` +
        `stop it first (node packages/lab/source/cli.ts down --dir ${options.dataDir}) or use another dir`,
    );
  }
  const controlPlane = await startControlPlane({ dataDir: options.dataDir, build: options.build, log: options.log });
  const stopHooks: Array<() => Promise<void> | void> = [];
  let faultProxy: FaultProxy | undefined;
  let node: Lab["node"];
  const kind = options.node ?? labNodeKindFromEnv();
  try {
    faultProxy = await startFaultProxy(controlPlane);
    if (kind === "real") {
      node = await startRealNode({
        controlPlane,
        dataDir: join(options.dataDir, "node"),
        logDir: join(options.dataDir, "logs"),
        build: options.build,
        containerLogMaxSize: options.containerLogMaxSize,
        log: options.log,
      });
      const real = node;
      faultProxy.setKubeletRestart(() => real.restartKubelet());
    } else {
      const sim = await startLabNode({
        controlPlane,
        dataDir: join(options.dataDir, "node"),
        images: { ...agentImageCatalog(agentImage), ...(options.images ?? labImages) },
        log: options.log,
      });
      node = { ...sim, kind: "sim" };
      options.log?.(`kubelet-sim node ${node.nodeName} ready (kubelet port ${node.kubeletPort}, memory limits by ${node.memoryEnforcement})`);
    }
  } catch (error) {
    await faultProxy?.stop();
    await controlPlane.stop();
    throw error;
  }

  const proxy = faultProxy;
  // Claims of the lab's StorageClass get a directory on the node (see local-provisioner/).
  const provisioner = await startLocalProvisioner({
    kubeconfigPath: controlPlane.kubeconfigPath,
    claimsDir: join(options.dataDir, "node", "pvc"),
    ...(options.log ? { log: options.log } : {}),
  });
  let stopped: Promise<void> | undefined;
  const lab: Lab = {
    controlPlane,
    faultProxy: proxy,
    node,
    agentImage,
    kubeconfigPath: controlPlane.kubeconfigPath,
    proxiedKubeconfigPath: proxy.kubeconfigPath,
    onStop: (fn) => void stopHooks.unshift(fn),
    stop() {
      stopped ??= (async () => {
        for (const hook of stopHooks) {
          try {
            await hook();
          } catch (error) {
            options.log?.(`lab: a stop hook failed: ${(error as Error).message}`);
          }
        }
        await provisioner.stop();
        // The node first: it kills its containers while the API server can still hear about it.
        await node.stop();
        await proxy.stop();
        await controlPlane.stop();
        removeLabState(options.dataDir);
      })();
      return stopped;
    },
  };

  writeLabState({
    format: 1,
    kubernetesVersion: controlPlane.version,
    ownerPid: process.pid,
    startedAt: new Date(started).toISOString(),
    startupMs: Date.now() - started,
    dataDir: options.dataDir,
    server: controlPlane.server,
    proxyServer: proxy.server,
    caPath: controlPlane.caPath,
    kubeconfigPath: lab.kubeconfigPath,
    proxiedKubeconfigPath: lab.proxiedKubeconfigPath,
    faultProxyControl: proxy.controlEndpoint,
    agentImage: { image: agentImage.image, binDir: agentImage.binDir },
    processes: {
      ...Object.fromEntries(
        Object.entries(controlPlane.processes).map(([name, p]) => [name, { pid: p.pid, command: name, logPath: p.logPath }]),
      ),
      ...(node.kind === "real"
        ? {
            kubelet: { pid: node.pid, command: "kubelet", logPath: node.logPath },
          }
        : { "kubelet-sim": { pid: node.pid, command: "kubelet-sim", logPath: node.logPath } }),
    },
    node: nodeState(node),
  });
  return lab;
}

function nodeState(node: Lab["node"]): LabState["node"] {
  if (node.kind === "sim") return { kind: "sim", name: node.nodeName, podHostAddress: "127.0.0.1", logs: { "kubelet-sim": node.logPath } };
  return {
    kind: "real",
    name: node.nodeName,
    podHostAddress: node.podHostAddress,
    bridge: node.bridge,
    podSubnet: node.podSubnet,
    versions: node.versions,
    logs: { kubelet: node.logPath, containerd: node.containerdLogPath },
  };
}
