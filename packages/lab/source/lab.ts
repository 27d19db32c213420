import { mkdir } from "node:fs/promises";
import { type ControlPlane, startControlPlane } from "./control-plane/control-plane.ts";
import { type FaultProxy, startFaultProxy } from "./fault-proxy/fault-proxy.ts";
import { isAlive, readLabState, removeLabState, writeLabState } from "./lab-state.ts";

export type StartLabOptions = {
  /** The lab's run dir (certificates, etcd data, logs, kubeconfigs, state.json). */
  dataDir: string;
  /** "if-missing" builds the control plane on a cold cache (~20 min with progress). */
  build: "if-missing" | "never";
  log?: (line: string) => void;
};

export type Lab = {
  controlPlane: ControlPlane;
  faultProxy: FaultProxy;
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
  let faultProxy: FaultProxy;
  try {
    faultProxy = await startFaultProxy(controlPlane);
  } catch (error) {
    await controlPlane.stop();
    throw error;
  }

  let stopped: Promise<void> | undefined;
  const lab: Lab = {
    controlPlane,
    faultProxy,
    kubeconfigPath: controlPlane.kubeconfigPath,
    proxiedKubeconfigPath: faultProxy.kubeconfigPath,
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
        await faultProxy.stop();
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
    proxyServer: faultProxy.server,
    caPath: controlPlane.caPath,
    kubeconfigPath: lab.kubeconfigPath,
    proxiedKubeconfigPath: lab.proxiedKubeconfigPath,
    faultProxyControl: faultProxy.controlEndpoint,
    processes: Object.fromEntries(
      Object.entries(controlPlane.processes).map(([name, p]) => [name, { pid: p.pid, command: name, logPath: p.logPath }]),
    ),
  });
  return lab;
}
