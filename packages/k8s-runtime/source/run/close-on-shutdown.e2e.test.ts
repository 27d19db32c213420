import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { labEndpoints } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { describe, expect, it } from "vitest";
import { ownerLeaseName } from "../exclusivity/owner-heartbeat.ts";
import { KubeApiError } from "../kube/kube-api-error.ts";
import { useLabNamespace } from "../test-utils/lab-namespace.ts";

const ns = useLabNamespace("rt-sigterm");

describe("closeOnShutdown", () => {
  it("on SIGTERM stops the heartbeat, gives the owner Lease back, and the process still ends by the signal", async () => {
    const ownerId = `sigterm-${randomUUID().slice(0, 8)}`;
    const script = path.resolve(import.meta.dirname, "../test-utils/adapter-process.ts");
    const child = spawn(process.execPath, [script], { env: { ...process.env, LAB_KUBECONFIG: labEndpoints().kubeconfigPath, OWNER_ID: ownerId, NAMESPACE: ns.name }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
      void exited.then(() => reject(new Error(`the adapter process ended early: ${stderr}`)));
    });
    const leasePath = `/apis/coordination.k8s.io/v1/namespaces/${ns.name}/leases/${ownerLeaseName(ownerId)}`;
    await expect(ns.client.request({ method: "GET", path: leasePath })).resolves.toBeDefined();
    child.kill("SIGTERM");
    expect(await exited).toEqual({ code: null, signal: "SIGTERM" });
    const error = await ns.client.request({ method: "GET", path: leasePath }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).status).toBe(404);
  });
});
