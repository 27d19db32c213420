import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createClientIdentity, createServingCertificate } from "../control-plane/client-identity.ts";
import type { ControlPlane } from "../control-plane/control-plane.ts";
import { type ManagedProcess, startProcess } from "../control-plane/managed-process.ts";
import { freeLoopbackPort, httpsGet } from "../control-plane/network.ts";
import { waitUntil } from "../control-plane/wait-until.ts";
import { run } from "./exec.ts";
import { ensureNodeBinaries, type NodeBinaries } from "./node-binaries.ts";
import { cleanupNode, type NodeRecord, readNodeRecord, writeNodeRecord } from "./node-cleanup.ts";
import { cniNetworkList, containerdConfig, kubeletConfig, type NodeLayout, registryHostsToml } from "./node-config.ts";
import { buildNodeImages, importImages, sandboxImage } from "./node-images.ts";
import { claimPodNetwork } from "./node-network.ts";
import { readMachineFacts, realNodeProblems } from "./preflight.ts";

// A real Kubernetes node for the lab: containerd (CRI) with runc and the CNI bridge, and a
// kubelet of the control plane's release, all built from Go modules (build-node.sh). The
// kubelet registers with the lab's API server as system:node:<name> and serves logs/exec
// with a certificate of the lab CA, exactly like kubelet-sim did; pods reach the host (the
// model server) at the bridge's address, `podHostAddress`.

export type RealNodeOptions = {
  controlPlane: ControlPlane;
  /** The node's own directory (containerd, kubelet, pod logs); removed at stop. */
  dataDir: string;
  /** Where the node's daemons write their logs (kubelet.log, containerd.log). */
  logDir: string;
  nodeName?: string;
  /** "if-missing" builds the node binaries on a cold cache (~10 min). */
  build: "if-missing" | "never";
  /** kubelet containerLogMaxSize (default 10Mi): small values make rotation tests possible. */
  containerLogMaxSize?: string;
  readyTimeoutMs?: number;
  log?: (line: string) => void;
};

export type RealNode = {
  kind: "real";
  nodeName: string;
  kubeletPort: number;
  /** The kubelet's pid (changes when it is restarted). */
  pid: number;
  logPath: string;
  containerdLogPath: string;
  memoryEnforcement: string;
  /** The host's address on the pod bridge: bind servers here for pods to reach them. */
  podHostAddress: string;
  bridge: string;
  podSubnet: string;
  versions: NodeBinaries["versions"];
  /** Stops the kubelet (containers keep running, as on a real node) and starts it again. */
  restartKubelet(): Promise<void>;
  stop(): Promise<void>;
};

export async function startRealNode(options: RealNodeOptions): Promise<RealNode> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const since = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const problems = realNodeProblems(readMachineFacts());
  if (problems.length > 0) {
    throw new Error(`lab: this machine cannot run the real node:\n  - ${problems.join("\n  - ")}\n(CLAUDE_K8S_LAB_NODE=sim runs kubelet-sim instead)`);
  }
  const binaries = await ensureNodeBinaries({ build: options.build === "if-missing" });
  const nodeName = options.nodeName ?? "lab-node-1";
  const { controlPlane } = options;
  const dir = options.dataDir;

  // A node dir left by an owner that died: take its leftovers down first.
  const stale = readNodeRecord(dir);
  if (stale) await cleanupNode(stale);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await mkdir(options.logDir, { recursive: true });

  const network = await claimPodNetwork();
  const layout: NodeLayout = {
    dir,
    containerdSocket: join(dir, "containerd", "containerd.sock"),
    runc: binaries.runc,
    cniBinDir: binaries.cniDir,
    cniConfDir: join(dir, "cni", "net.d"),
    cniStateDir: join(dir, "cni", "ipam"),
    bridge: network.bridge,
    subnet: network.subnet,
    gateway: network.gateway,
    sandboxImage,
    cgroupRoot: `/claude-k8s-lab-${network.bridge.replace(/\D/g, "")}`,
  };
  const record: NodeRecord = {
    dir,
    bridge: network.bridge,
    cgroupRoot: layout.cgroupRoot,
    containerdSocket: layout.containerdSocket,
    cniNetworkName: "claude-k8s-lab",
    ctr: binaries.ctr,
    pids: {},
  };
  writeNodeRecord(record);
  let containerd: ManagedProcess | undefined;
  let kubelet: ManagedProcess | undefined;
  const cleanup = async () => {
    record.pids = { kubelet: kubelet?.pid, containerd: containerd?.pid };
    const notes = await cleanupNode(record);
    if (notes.length > 0) log(`real node ${nodeName} stopped: ${notes.join("; ")}`);
  };

  try {
    // The kubelet's cgroupfs driver wants the cgroup root to exist in every hierarchy.
    for (const hierarchy of ["cpu", "cpuacct", "cpuset", "memory", "pids", "devices", "freezer", "blkio", "hugetlb", "systemd"]) {
      const base = join("/sys/fs/cgroup", hierarchy);
      try {
        mkdirSync(join(base, layout.cgroupRoot), { recursive: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
    // A new v1 cpuset cgroup starts with no CPUs and no memory nodes: give it the root's.
    for (const file of ["cpuset.cpus", "cpuset.mems"]) {
      const value = readFileSync(join("/sys/fs/cgroup/cpuset", file), "utf8");
      writeFileSync(join("/sys/fs/cgroup/cpuset", layout.cgroupRoot, file), value);
    }
    await mkdir(layout.cniConfDir, { recursive: true });
    await writeFile(join(layout.cniConfDir, "10-claude-k8s-lab.conflist"), cniNetworkList(layout));
    await mkdir(join(dir, "containerd", "certs.d", "_default"), { recursive: true });
    await writeFile(join(dir, "containerd", "certs.d", "_default", "hosts.toml"), registryHostsToml());
    const containerdConfigPath = join(dir, "containerd.toml");
    await writeFile(containerdConfigPath, containerdConfig(layout));
    // containerd finds its shim (containerd-shim-runc-v2) on PATH.
    const env = { ...process.env, PATH: `${binaries.binDir}:${process.env.PATH ?? "/usr/bin:/bin"}` };
    containerd = startProcess({
      name: "containerd",
      command: binaries.containerd,
      args: ["--config", containerdConfigPath, "--log-level", "info"],
      logPath: join(options.logDir, "containerd.log"),
      env,
    });
    record.pids.containerd = containerd.pid;
    writeNodeRecord(record);
    const ctr = (args: string[], what: string) => run(binaries.ctr, ["--address", layout.containerdSocket, ...args], what, { timeoutMs: 20_000 });
    await waitUntil(() => ctr(["version"], "asking containerd its version").then(() => true), {
      what: "containerd",
      timeoutMs: 30_000,
      process: containerd,
    });
    log(`containerd ${binaries.versions.containerd} ready in ${since()}`);

    const images = await buildNodeImages({ pause: binaries.pause, log });
    await importImages(binaries.ctr, layout.containerdSocket, images);
    log(`${images.length} images imported in ${since()}`);

    const [identity, serving, port, healthzPort] = await Promise.all([
      createClientIdentity(controlPlane, { name: `node-${nodeName}`, commonName: `system:node:${nodeName}`, organizations: ["system:nodes"] }),
      createServingCertificate(controlPlane, {
        name: `kubelet-${nodeName}-serving`,
        commonName: nodeName,
        ipAddresses: [network.gateway, "127.0.0.1"],
        dnsNames: [nodeName, "localhost"],
      }),
      freeLoopbackPort(),
      freeLoopbackPort(),
    ]);
    const kubeletConfigPath = join(dir, "kubelet-config.json");
    await writeFile(
      kubeletConfigPath,
      kubeletConfig({
        layout,
        caPath: controlPlane.caPath,
        servingCertPath: serving.certPath,
        servingKeyPath: serving.keyPath,
        port,
        healthzPort,
        containerLogMaxSize: options.containerLogMaxSize,
      }),
    );
    const kubeletLogPath = join(options.logDir, "kubelet.log");
    const wrapper = await kubeletMountNamespace(dir);
    const startKubelet = () => {
      const process_ = startProcess({
        name: "kubelet",
        command: wrapper.command,
        args: [
          ...wrapper.args,
          binaries.kubelet,
          `--config=${kubeletConfigPath}`,
          `--kubeconfig=${identity.kubeconfigPath}`,
          `--hostname-override=${nodeName}`,
          `--node-ip=${network.gateway}`,
          `--root-dir=${join(dir, "kubelet")}`,
          "--v=2",
        ],
        logPath: kubeletLogPath,
        env,
      });
      record.pids.kubelet = process_.pid;
      writeNodeRecord(record);
      return process_;
    };
    kubelet = startKubelet();
    const nodeUrl = `${controlPlane.server}/api/v1/nodes/${nodeName}`;
    const tls = { caPath: controlPlane.caPath, client: controlPlane.adminClient };
    const waitReady = (process_: ManagedProcess) =>
      waitUntil(
        async () => {
          const answer = await httpsGet(nodeUrl, tls);
          if (answer.status !== 200) return `node object: HTTP ${answer.status}`;
          const node = JSON.parse(answer.body) as { status?: { conditions?: Array<{ type: string; status: string; message?: string }> } };
          const ready = node.status?.conditions?.find((c) => c.type === "Ready");
          return ready?.status === "True" ? true : `Ready=${ready?.status ?? "unknown"}: ${ready?.message ?? ""}`;
        },
        { what: `node ${nodeName} Ready`, timeoutMs: options.readyTimeoutMs ?? 90_000, intervalMs: 500, process: process_ },
      );
    await waitReady(kubelet);
    log(`real node ${nodeName} Ready in ${since()} (kubelet ${binaries.versions.kubelet}, containerd ${binaries.versions.containerd}, runc ${binaries.versions.runc}; pods on ${network.bridge} ${network.subnet})`);

    let stopped: Promise<void> | undefined;
    const node: RealNode = {
      kind: "real",
      nodeName,
      kubeletPort: port,
      pid: kubelet.pid,
      logPath: kubeletLogPath,
      containerdLogPath: join(options.logDir, "containerd.log"),
      memoryEnforcement: "kubelet + runc (cgroup v1)",
      podHostAddress: network.gateway,
      bridge: network.bridge,
      podSubnet: network.subnet,
      versions: binaries.versions,
      async restartKubelet() {
        await kubelet?.stop(10_000);
        kubelet = startKubelet();
        node.pid = kubelet.pid;
        await waitReady(kubelet);
      },
      stop() {
        stopped ??= (async () => {
          await kubelet?.stop(10_000);
          await cleanup();
        })();
        return stopped;
      },
    };
    return node;
  } catch (error) {
    await kubelet?.stop(5_000).catch(() => {});
    await cleanup().catch((cleanupError: Error) => log(`real node cleanup after a failed start: ${cleanupError.message}`));
    throw error;
  }
}

/** For `lab down` when the owner died: remove a node's leftovers from its record. */
export async function cleanupStaleRealNode(dir: string): Promise<boolean> {
  const record = readNodeRecord(dir);
  if (!record) return false;
  await cleanupNode(record);
  return true;
}

/**
 * The kubelet sets six kernel sysctls at start (vm.overcommit_memory=1, kernel.panic=10,
 * kernel.panic_on_oops=1, ...) and there is no way to turn that off but to make it fail.
 * On a shared machine the lab must not change the kernel, so the kubelet runs in a mount
 * namespace of its own where those /proc/sys files are bind mounts of files that already
 * hold the values it wants. The node's directory is made a shared mount first, so the
 * volumes the kubelet mounts there (Secrets, projected tokens) propagate to containerd.
 */
async function kubeletMountNamespace(dir: string): Promise<{ command: string; args: string[] }> {
  await run("mount", ["--bind", dir, dir], "making the node directory a mount point");
  await run("mount", ["--make-shared", dir], "sharing the node directory's mounts with the kubelet");
  const wanted: Record<string, string> = {
    "vm/overcommit_memory": "1",
    "vm/panic_on_oom": "0",
    "kernel/panic": "10",
    "kernel/panic_on_oops": "1",
    "kernel/keys/root_maxkeys": "1000000",
    "kernel/keys/root_maxbytes": "25000000",
  };
  const sysctlDir = join(dir, "kubelet-sysctls");
  await mkdir(sysctlDir, { recursive: true });
  const binds: string[] = [];
  for (const [name, value] of Object.entries(wanted)) {
    const file = join(sysctlDir, name.replaceAll("/", "."));
    await writeFile(file, `${value}\n`);
    binds.push(`mount --bind '${file}' /proc/sys/${name}`);
  }
  const script = `set -e; ${binds.join("; ")}; exec "$@"`;
  return { command: "unshare", args: ["--mount", "--propagation", "unchanged", "--", "sh", "-c", script, "kubelet"] };
}
