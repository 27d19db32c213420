#!/usr/bin/env node
// kubelet-sim as a process of its own (how the lab runs it, so that a crash or a leak
// there cannot take a test runner down):
//   node source/kubelet-sim/main.ts --kubeconfig K --node-name N --data-dir D \
//     --serving-cert C --serving-key K --client-ca CA [--images catalog.json] [--cpu 2] [--memory 8Gi] [--pods 110]
// Prints one JSON line {"ready":true,...} on stdout when the node is registered and the pod
// watch is synced; logs go to stderr. SIGTERM/SIGINT stop it cleanly (containers killed).
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { parseImageCatalog } from "./image-catalog.ts";
import { startKubeletSim } from "./kubelet-sim.ts";

const usage = `usage: kubelet-sim --kubeconfig FILE --node-name NAME --data-dir DIR --serving-cert FILE --serving-key FILE --client-ca FILE
                   [--images FILE.json] [--cpu 2] [--memory 8Gi] [--pods 110] [--pod-api-server URL] [--image-pull-backoff-ms 2000]`;

function fail(message: string): never {
  process.stderr.write(`kubelet-sim: ${message}\n${usage}\n`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        kubeconfig: { type: "string" },
        "node-name": { type: "string" },
        "data-dir": { type: "string" },
        "serving-cert": { type: "string" },
        "serving-key": { type: "string" },
        "client-ca": { type: "string" },
        images: { type: "string" },
        cpu: { type: "string" },
        memory: { type: "string" },
        pods: { type: "string" },
        "pod-api-server": { type: "string" },
        "image-pull-backoff-ms": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
})();
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const required = ["kubeconfig", "node-name", "data-dir", "serving-cert", "serving-key", "client-ca"] as const;
const missing = required.filter((name) => !values[name]);
if (missing.length > 0) fail(`missing ${missing.map((m) => `--${m}`).join(", ")}`);

const images = values.images
  ? parseImageCatalog(JSON.parse(await readFile(values.images, "utf8")) as unknown, values.images)
  : undefined;
const backoff = values["image-pull-backoff-ms"];
const sim = await startKubeletSim({
  kubeconfigPath: values.kubeconfig as string,
  nodeName: values["node-name"] as string,
  dataDir: values["data-dir"] as string,
  servingCertPath: values["serving-cert"] as string,
  servingKeyPath: values["serving-key"] as string,
  clientCaPath: values["client-ca"] as string,
  images,
  capacity: {
    ...(values.cpu ? { cpu: values.cpu } : {}),
    ...(values.memory ? { memory: values.memory } : {}),
    ...(values.pods ? { pods: values.pods } : {}),
  },
  podApiServer: values["pod-api-server"],
  imagePullBackoffMs: backoff ? Number(backoff) : undefined,
}).catch((error: Error) => fail(error.message));

process.stdout.write(
  `${JSON.stringify({ ready: true, nodeName: sim.nodeName, kubeletPort: sim.kubeletPort, pid: process.pid, memoryEnforcement: sim.memoryEnforcement })}\n`,
);
let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void sim.stop().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`kubelet-sim: stop failed: ${error.message}\n`);
        process.exit(1);
      },
    );
  });
}
