import { readFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { Log } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClients, labEndpoints } from "../test-support/lab-client.ts";
import { createPodNamespace, podUntil, shellPod } from "./test-utils/pods.ts";

// Container logs go client -> API server -> kubelet-sim's HTTPS API (client certificate
// both ways), exactly the path `kubectl logs -f` takes on a real cluster.

/** GET a pods/log URL through the API server as cluster-admin; calls onChunk for each piece as it arrives. */
function streamLog(path: string, onChunk: (text: string) => void): Promise<number> {
  const lab = labEndpoints();
  const pki = join(lab.dataDir, "pki");
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, lab.server),
      { ca: readFileSync(lab.caPath), cert: readFileSync(join(pki, "admin.crt")), key: readFileSync(join(pki, "admin.key")) },
      (res) => {
        res.setEncoding("utf8");
        res.on("data", onChunk);
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("container logs through the API server", () => {
  const { core, kubeConfig } = adminClients();
  let ns: Awaited<ReturnType<typeof createPodNamespace>>;
  beforeAll(async () => {
    ns = await createPodNamespace("sim-logs");
  });
  afterAll(() => ns?.remove());

  const running = (name: string) => podUntil(ns.name, name, `pod ${name} to run`, (pod) => (pod.status?.phase === "Running" ? true : undefined));

  it("follow streams a running container's output live and ends when it exits", async () => {
    await core.createNamespacedPod({
      namespace: ns.name,
      body: shellPod("ticker", "for i in 1 2 3 4 5 6; do echo tick $i; sleep 0.5; done"),
    });
    await running("ticker");
    let text = "";
    const phasesAtChunks: string[] = [];
    const status = await streamLog(`/api/v1/namespaces/${ns.name}/pods/ticker/log?follow=true`, (chunk) => {
      text += chunk;
      if (phasesAtChunks.length === 0) {
        // Read the pod when the first bytes arrive: it must still be running (live, not replayed).
        void core.readNamespacedPod({ name: "ticker", namespace: ns.name }).then((pod) => phasesAtChunks.push(pod.status?.phase ?? "?"));
      }
    });
    expect(status).toBe(200);
    expect(text).toBe("tick 1\ntick 2\ntick 3\ntick 4\ntick 5\ntick 6\n");
    expect(phasesAtChunks[0]).toBe("Running");
  });

  it("client-node's Log follows to the end", async () => {
    await core.createNamespacedPod({ namespace: ns.name, body: shellPod("client-node", "echo one; sleep 1; echo two") });
    await running("client-node");
    const sink = new PassThrough();
    let text = "";
    sink.on("data", (chunk: Buffer) => (text += chunk.toString()));
    const ended = new Promise<void>((resolve) => sink.on("end", resolve));
    await new Log(kubeConfig).log(ns.name, "client-node", "main", sink, { follow: true });
    await ended;
    expect(text).toBe("one\ntwo\n");
  });

  it("honours tailLines, limitBytes, timestamps and previous", async () => {
    await core.createNamespacedPod({ namespace: ns.name, body: shellPod("lines", "for i in 1 2 3 4 5; do echo line $i; done") });
    await podUntil(ns.name, "lines", "pod lines to finish", (pod) => (pod.status?.phase === "Succeeded" ? true : undefined));
    const read = (query: Record<string, unknown>) => core.readNamespacedPodLog({ name: "lines", namespace: ns.name, ...query });
    expect(await read({ tailLines: 2 })).toBe("line 4\nline 5\n");
    expect(await read({ limitBytes: 9 })).toBe("line 1\nli");
    const stamped = (await read({ timestamps: true, tailLines: 1 })).trim();
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z line 5$/);
    await expect(read({ previous: true })).rejects.toThrow();
  });
});
