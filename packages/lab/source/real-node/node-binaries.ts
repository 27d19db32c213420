import { spawn } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { join } from "node:path";
import { goDir, labCacheRoot, pinnedKubernetesVersion } from "../control-plane/paths.ts";

// The real node's binaries, built by packages/lab/go/build-node.sh from Go modules and
// cached next to the control plane: <lab cache>/<kubernetes version>/node/{bin,cni}.

export const nodeBuilderScript = join(goDir, "build-node.sh");

export type NodeBinaries = {
  dir: string;
  kubelet: string;
  containerd: string;
  /** containerd finds its shim on PATH: put `binDir` first. */
  binDir: string;
  ctr: string;
  runc: string;
  pause: string;
  /** CNI plugins: bridge, host-local, loopback, portmap. */
  cniDir: string;
  versions: { kubelet: string; containerd: string; runc: string; cniPlugins: string };
};

export function nodeDir(version = pinnedKubernetesVersion()): string {
  return join(labCacheRoot(), version, "node");
}

function describe(dir: string): NodeBinaries {
  const binDir = join(dir, "bin");
  const info = JSON.parse(readFileSync(join(dir, "build-info.json"), "utf8")) as NodeBinaries["versions"];
  return {
    dir,
    binDir,
    kubelet: join(binDir, "kubelet"),
    containerd: join(binDir, "containerd"),
    ctr: join(binDir, "ctr"),
    runc: join(binDir, "runc"),
    pause: join(binDir, "lab-pause"),
    cniDir: join(dir, "cni"),
    versions: { kubelet: info.kubelet, containerd: info.containerd, runc: info.runc, cniPlugins: info.cniPlugins },
  };
}

const required = [
  "bin/kubelet",
  "bin/containerd",
  "bin/containerd-shim-runc-v2",
  "bin/ctr",
  "bin/runc",
  "bin/lab-pause",
  "cni/bridge",
  "cni/host-local",
  "cni/loopback",
  "cni/portmap",
  "build-info.json",
];

export function missingNodeBinaries(dir = nodeDir()): string[] {
  return required.filter((name) => {
    try {
      accessSync(join(dir, name), name.endsWith(".json") ? constants.R_OK : constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
}

/**
 * The cached node binaries, built first when asked (about 10 minutes on 2 cores, cold).
 * The script also checks that the cache matches packages/lab/go/node-versions.
 */
export async function ensureNodeBinaries(options: { build: boolean; progress?: NodeJS.WritableStream }): Promise<NodeBinaries> {
  const dir = nodeDir();
  if (options.build) {
    await runNodeBuilder(options.progress ?? process.stderr);
  } else {
    const missing = missingNodeBinaries(dir);
    if (missing.length > 0) {
      throw new Error(
        `lab: the real node's ${missing.join(", ")} not built yet (looked in ${dir}); ` +
          "run packages/lab/go/build-node.sh (needs Go >= 1.26, gcc and libseccomp-dev; ~10 min cold on 2 cores; or: node packages/lab/source/cli.ts build --node)",
      );
    }
  }
  return describe(dir);
}

export function runNodeBuilder(progress: NodeJS.WritableStream, args: readonly string[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [nodeBuilderScript, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(progress, { end: false });
    child.stderr.pipe(progress, { end: false });
    child.on("error", (error) => reject(new Error(`lab: could not run ${nodeBuilderScript}: ${error.message}`)));
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`lab: ${nodeBuilderScript} failed (${signal ?? `exit ${code}`}); its output is above`));
    });
  });
}
