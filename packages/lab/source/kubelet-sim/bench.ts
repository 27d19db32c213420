// Figures for the README: pod start latency through the real control plane, and the
// sim's idle footprint. Starts a private lab in a temp dir and stops it at the end.
//   node packages/lab/source/kubelet-sim/bench.ts [pods=20]
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiClient } from "./api-client.ts";
import { readKubeconfig } from "./kubeconfig.ts";
import { startLab } from "../lab.ts";
import type { Pod } from "./types.ts";

const podCount = Number(process.argv[2] ?? 20);
const dataDir = await mkdtemp(join(tmpdir(), "kubelet-sim-bench-"));
const lab = await startLab({ dataDir, build: "never" });
try {
  const api = createApiClient(await readKubeconfig(lab.kubeconfigPath));
  const ticks = () => {
    const stat = readFileSync(`/proc/${lab.node.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100/s)
  };
  const rssKiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${lab.node.pid}/status`, "utf8"))?.[1]);

  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const idleStart = ticks();
  await new Promise((resolve) => setTimeout(resolve, 30_000));
  const idleCpuPercent = (ticks() - idleStart) / 30; // ticks per second / 100 * 100 %
  const idleRss = rssKiB();

  const running: number[] = [];
  const succeeded: number[] = [];
  for (let i = 0; i < podCount; i++) {
    const name = `bench-${i}`;
    const created = Date.now();
    await api.json("POST", "/api/v1/namespaces/default/pods", {
      body: { metadata: { name }, spec: { restartPolicy: "Never", containers: [{ name: "main", image: "lab.local/busybox:1", command: ["sh", "-c", "sleep 0.2"] }] } },
    });
    let sawRunning = false;
    for (;;) {
      const pod = await api.json<Pod>("GET", `/api/v1/namespaces/default/pods/${name}`);
      if (!sawRunning && (pod.status?.phase === "Running" || pod.status?.phase === "Succeeded")) {
        running.push(Date.now() - created);
        sawRunning = true;
      }
      if (pod.status?.phase === "Succeeded") {
        succeeded.push(Date.now() - created);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const busyRss = rssKiB();
  const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];
  console.log(
    JSON.stringify(
      {
        pods: podCount,
        createToRunningMs: { p50: pct(running, 50), p95: pct(running, 95) },
        createToSucceededMs: { p50: pct(succeeded, 50), p95: pct(succeeded, 95), containerRunsMs: 200 },
        idle: { rssMiB: +(idleRss / 1024).toFixed(1), cpuPercentOfOneCore: +idleCpuPercent.toFixed(2) },
        rssMiBAfterPods: +(busyRss / 1024).toFixed(1),
        memoryEnforcement: lab.node.memoryEnforcement,
      },
      null,
      2,
    ),
  );
  api.close();
} finally {
  await lab.stop();
  await rm(dataDir, { recursive: true, force: true });
}
