import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readKubeconfig } from "./kubeconfig.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kubeconfig-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("readKubeconfig", () => {
  it("reads the current context's server, embedded CA and client certificate, and relative key files", async () => {
    writeFileSync(join(dir, "client.key"), "KEY");
    const path = join(dir, "config");
    writeFileSync(
      path,
      `apiVersion: v1
kind: Config
current-context: lab
contexts:
  - name: other
    context: { cluster: nowhere, user: nobody }
  - name: lab
    context: { cluster: lab, user: node }
clusters:
  - name: lab
    cluster:
      server: https://127.0.0.1:6443/
      certificate-authority-data: ${Buffer.from("CA").toString("base64")}
users:
  - name: node
    user:
      client-certificate-data: ${Buffer.from("CERT").toString("base64")}
      client-key: client.key
`,
    );
    const connection = await readKubeconfig(path);
    expect(connection).toMatchObject({ server: "https://127.0.0.1:6443", insecureSkipTlsVerify: false, token: undefined });
    expect([connection.ca, connection.cert, connection.key].map(String)).toEqual(["CA", "CERT", "KEY"]);
  });

  it("names what is missing", async () => {
    const path = join(dir, "config");
    writeFileSync(path, "apiVersion: v1\nkind: Config\n");
    await expect(readKubeconfig(path)).rejects.toThrow(/has no current-context/);
    writeFileSync(path, "current-context: x\ncontexts: []\n");
    await expect(readKubeconfig(path)).rejects.toThrow(/current-context "x" is not among its contexts/);
    await expect(readKubeconfig(join(dir, "absent"))).rejects.toThrow(/cannot read kubeconfig/);
  });
});
