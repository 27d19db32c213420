import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// state.json in a lab's run dir: how `lab status` and `lab down` in another process find a
// running lab. It holds the fault proxy's control token, hence mode 0600.

export type LabState = {
  format: 1;
  kubernetesVersion: string;
  /** The process that owns the lab (`lab up`'s daemon, or a test run's global setup). */
  ownerPid: number;
  startedAt: string;
  startupMs: number;
  dataDir: string;
  server: string;
  proxyServer: string;
  caPath: string;
  /** cluster-admin straight to the API server. */
  kubeconfigPath: string;
  /** cluster-admin through the fault proxy. */
  proxiedKubeconfigPath: string;
  faultProxyControl: { url: string; token: string };
  /** The image agent pods use (`lab.local/claude-code:<version>`) and where its claude and node are staged. */
  agentImage: { image: string; binDir: string };
  /** Component pids at start (kube-apiserver's changes when it is restarted). */
  processes: Record<string, { pid: number; command: string; logPath: string }>;
  /** The node that runs the pods (absent in state written before the real node existed). */
  node?: LabNodeState;
};

export type LabNodeKind = "real" | "sim";

export type LabNodeState = {
  kind: LabNodeKind;
  name: string;
  /** Where pods reach the host: bind servers the pods must reach here. */
  podHostAddress: string;
  bridge?: string;
  podSubnet?: string;
  versions?: { kubelet: string; containerd: string; runc: string; cniPlugins: string };
  /** Component -> log file. */
  logs: Record<string, string>;
};

export const stateFile = (dataDir: string) => join(dataDir, "state.json");

export function writeLabState(state: LabState): void {
  writeFileSync(stateFile(state.dataDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function readLabState(dataDir: string): LabState | undefined {
  let text: string;
  try {
    text = readFileSync(stateFile(dataDir), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const state = JSON.parse(text) as LabState;
  if (state.format !== 1) throw new Error(`lab: ${stateFile(dataDir)} has unknown format ${String(state.format)}; remove it`);
  return state;
}

export function removeLabState(dataDir: string): void {
  rmSync(stateFile(dataDir), { force: true });
}

/** True while `pid` runs. A zombie (exited, not yet reaped: common in containers whose
 *  init does not reap) counts as dead. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; comm may contain spaces, so split after ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
