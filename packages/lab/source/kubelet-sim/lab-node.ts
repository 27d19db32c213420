import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createClientIdentity, createServingCertificate } from "../control-plane/client-identity.ts";
import type { ControlPlane } from "../control-plane/control-plane.ts";
import type { ImageCatalog } from "./image-catalog.ts";

// Runs kubelet-sim for a lab as a child process with the identity of a real kubelet: a
// client certificate CN=system:node:<name>, O=system:nodes (so the Node authorizer and
// NodeRestriction limit it as they limit a kubelet) and a serving certificate from the
// cluster CA (the API server verifies it before forwarding `kubectl logs`).

export type LabNodeOptions = {
  controlPlane: ControlPlane;
  /** Default "lab-node-1". */
  nodeName?: string;
  /** The node's own directory (pods/, pvc/, kubelet-sim.log, images.json). */
  dataDir: string;
  images?: ImageCatalog;
  /** Where pods reach the API server (the fault proxy, say). Default: the API server itself. */
  podApiServer?: string;
  imagePullBackoffMs?: number;
  readyTimeoutMs?: number;
  /** Told when the sim dies on its own (a bug): pods on the node stop making progress. */
  log?: (line: string) => void;
};

export type LabNode = {
  nodeName: string;
  kubeletPort: number;
  pid: number;
  logPath: string;
  memoryEnforcement: string;
  /** SIGTERM (the sim kills its containers), SIGKILL after 15 s. */
  stop(): Promise<void>;
};

const mainScript = new URL("./main.ts", import.meta.url).pathname;

export async function startLabNode(options: LabNodeOptions): Promise<LabNode> {
  const nodeName = options.nodeName ?? "lab-node-1";
  const { controlPlane, dataDir } = options;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const [identity, serving] = await Promise.all([
    createClientIdentity(controlPlane, { name: `node-${nodeName}`, commonName: `system:node:${nodeName}`, organizations: ["system:nodes"] }),
    createServingCertificate(controlPlane, { name: `kubelet-${nodeName}-serving`, commonName: nodeName }),
  ]);
  const args = [
    mainScript,
    `--kubeconfig=${identity.kubeconfigPath}`,
    `--node-name=${nodeName}`,
    `--data-dir=${dataDir}`,
    `--serving-cert=${serving.certPath}`,
    `--serving-key=${serving.keyPath}`,
    `--client-ca=${controlPlane.caPath}`,
  ];
  if (options.images) {
    const catalogPath = join(dataDir, "images.json");
    await writeFile(catalogPath, JSON.stringify(options.images, null, 2));
    args.push(`--images=${catalogPath}`);
  }
  if (options.podApiServer) args.push(`--pod-api-server=${options.podApiServer}`);
  if (options.imagePullBackoffMs !== undefined) args.push(`--image-pull-backoff-ms=${options.imagePullBackoffMs}`);

  const logPath = join(dataDir, "kubelet-sim.log");
  const logFd = openSync(logPath, "a");
  // --pdeathsig TERM: if the lab's owner dies, the sim still gets to kill its containers.
  const child = spawn("setpriv", ["--pdeathsig", "TERM", "--", process.execPath, ...args], {
    stdio: ["ignore", "pipe", logFd],
  });
  closeSync(logFd);
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const stop = async () => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    const ready = await new Promise<{ kubeletPort: number; pid: number; memoryEnforcement: string }>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(
        () => reject(new Error(`kubelet-sim not ready after ${options.readyTimeoutMs ?? 30_000} ms; log ${logPath}:\n${tail(logPath)}`)),
        options.readyTimeoutMs ?? 30_000,
      );
      child.stdout?.setEncoding("utf8");
      child.stdout?.on("data", (chunk: string) => {
        out += chunk;
        const line = out.split("\n").find((l) => l.startsWith("{"));
        if (!line) return;
        clearTimeout(timer);
        resolve(JSON.parse(line));
      });
      child.once("error", (error) => reject(new Error(`kubelet-sim could not start: ${error.message}`)));
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`kubelet-sim exited (${signal ?? `code ${code}`}) before it was ready; log ${logPath}:\n${tail(logPath)}`));
      });
    });
    child.stdout?.resume();
    child.once("close", (code, signal) => {
      if (stopping) return;
      options.log?.(
        `kubelet-sim of node ${nodeName} exited on its own (${signal ?? `code ${code}`}); its pods make no progress now. ` +
          `Log ${logPath}:\n${tail(logPath)}`,
      );
    });
    return { nodeName, logPath, stop, ...ready };
  } catch (error) {
    await stop();
    throw error;
  }
}

function tail(path: string): string {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-20).join("\n");
  } catch {
    return "(empty)";
  }
}
