import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { binaryDir, builderScript, pinnedKubernetesVersion } from "./paths.ts";

export type ControlPlaneBinaries = {
  version: string;
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  /** Present only when the cache was built with `--kubectl`. */
  kubectl: string | undefined;
};

const required = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"] as const;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function describe(dir: string, version: string): ControlPlaneBinaries {
  const kubectl = join(dir, "kubectl");
  return {
    version,
    etcd: join(dir, "etcd"),
    kubeApiserver: join(dir, "kube-apiserver"),
    kubeControllerManager: join(dir, "kube-controller-manager"),
    kubeScheduler: join(dir, "kube-scheduler"),
    kubectl: isExecutable(kubectl) ? kubectl : undefined,
  };
}

export type EnsureBinariesOptions = {
  /** Build missing binaries (minutes on a cold cache). When false, a missing binary is an error. */
  build: boolean;
  /** Where the builder's progress goes; defaults to this process's stderr. */
  progress?: NodeJS.WritableStream;
};

/**
 * The cached control-plane binaries of the pinned version, built first if asked.
 * The build itself is packages/lab/go/build-control-plane.sh, so it can also run by hand.
 */
export async function ensureControlPlaneBinaries(options: EnsureBinariesOptions): Promise<ControlPlaneBinaries> {
  const version = pinnedKubernetesVersion();
  const dir = binaryDir(version);
  const missing = required.filter((name) => !isExecutable(join(dir, name)));
  if (missing.length === 0) return describe(dir, version);
  if (!options.build) {
    throw new Error(
      `lab: ${missing.join(", ")} of Kubernetes ${version} not built yet (looked in ${dir}); ` +
        `run packages/lab/go/build-control-plane.sh (needs Go >= 1.26 and the Go module proxy, ~7 min cold on 2 cores; or: node packages/lab/source/cli.ts build)`,
    );
  }
  await runBuilder(options.progress ?? process.stderr);
  const stillMissing = required.filter((name) => !isExecutable(join(dir, name)));
  if (stillMissing.length > 0) {
    throw new Error(`lab: the builder finished but ${stillMissing.join(", ")} is missing from ${dir}`);
  }
  return describe(dir, version);
}

function runBuilder(progress: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [builderScript], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(progress, { end: false });
    child.stderr.pipe(progress, { end: false });
    child.on("error", (error) => reject(new Error(`lab: could not run ${builderScript}: ${error.message}`)));
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`lab: ${builderScript} failed (${signal ?? `exit ${code}`}); its output is above`));
    });
  });
}
