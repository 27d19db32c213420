import { readFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { adminClients, labEndpoints } from "../test-support/lab-client.ts";

// The kubelet API serves container logs only to the API server (its kubelet-client
// certificate) and cluster admins; anyone else on the machine is turned away.

type Answer = { status: number; body: string } | { error: string };

async function kubeletGet(path: string, client?: string): Promise<Answer> {
  const lab = labEndpoints();
  const node = await adminClients().core.readNode({ name: "lab-node-1" });
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  const pki = join(lab.dataDir, "pki");
  return new Promise((resolve) => {
    const req = request(
      `https://127.0.0.1:${port}${path}`,
      {
        ca: readFileSync(lab.caPath),
        ...(client ? { cert: readFileSync(join(pki, `${client}.crt`)), key: readFileSync(join(pki, `${client}.key`)) } : {}),
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", (error) => resolve({ error: error.message }));
    req.end();
  });
}

describe("kubelet-sim's HTTPS API", () => {
  it("lets the API server's kubelet client in", async () => {
    expect(await kubeletGet("/containerLogs/default/nope/main", "apiserver-kubelet-client")).toEqual({
      status: 404,
      body: 'pod "nope" in namespace "default" is not on node "lab-node-1"\n',
    });
  });

  it("refuses another cluster identity with 403 and a client without a certificate at the TLS handshake", async () => {
    expect(await kubeletGet("/containerLogs/default/nope/main", "scheduler")).toMatchObject({ status: 403 });
    expect(await kubeletGet("/containerLogs/default/nope/main")).toHaveProperty("error");
  });

  it("answers a bad query with 400 naming the parameter", async () => {
    expect(await kubeletGet("/containerLogs/default/nope/main?tailLines=-3", "apiserver-kubelet-client")).toEqual({
      status: 400,
      body: 'tailLines must be an integer >= 0, got "-3"\n',
    });
  });
});
