import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** packages/lab/go: the pinned version file and the builder script live there. */
export const goDir = new URL("../../go/", import.meta.url).pathname;

export const builderScript = join(goDir, "build-control-plane.sh");

/** The one pinned Kubernetes release of the lab (packages/lab/go/kubernetes-version). */
export function pinnedKubernetesVersion(): string {
  const version = readFileSync(join(goDir, "kubernetes-version"), "utf8").trim();
  if (!/^v1\.\d+\.\d+$/.test(version)) {
    throw new Error(`packages/lab/go/kubernetes-version must hold a release like v1.37.1, got "${version}"`);
  }
  return version;
}

/** ${XDG_CACHE_HOME:-~/.cache}/claude-k8s/lab: outside the checkout, shared by all clones. */
export function labCacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "claude-k8s", "lab");
}

export function binaryDir(version = pinnedKubernetesVersion()): string {
  return join(labCacheRoot(), version, "bin");
}

/** Where `lab up` keeps its certificates, etcd data, logs and state when no dir is given. */
export function defaultRunDir(): string {
  return join(labCacheRoot(), "run");
}
