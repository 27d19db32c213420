import { readFile, writeFile } from "node:fs/promises";
import type { KeyPair } from "./pki.ts";

export type KubeconfigOptions = {
  path: string;
  server: string;
  caPath: string;
  /** Client certificate; omit for a kubeconfig that gets its token elsewhere. */
  client: KeyPair;
  /** Names the cluster/user/context entries, e.g. "claude-k8s-lab". */
  name: string;
  user: string;
};

const b64 = async (path: string) => (await readFile(path)).toString("base64");

/**
 * Writes a kubeconfig with the certificates embedded, so the file still works when copied
 * elsewhere (a CI artifact, another shell) and is read the same by kubectl and client-node.
 */
export async function writeKubeconfig(options: KubeconfigOptions): Promise<string> {
  const [ca, cert, key] = await Promise.all([
    b64(options.caPath),
    b64(options.client.certPath),
    b64(options.client.keyPath),
  ]);
  const text = `apiVersion: v1
kind: Config
clusters:
  - name: ${options.name}
    cluster:
      server: ${options.server}
      certificate-authority-data: ${ca}
users:
  - name: ${options.user}
    user:
      client-certificate-data: ${cert}
      client-key-data: ${key}
contexts:
  - name: ${options.name}
    context:
      cluster: ${options.name}
      user: ${options.user}
current-context: ${options.name}
`;
  await writeFile(options.path, text, { mode: 0o600 });
  return options.path;
}
