import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";

// The connection details of a kubeconfig's current context: server, CA and client
// certificate or token. A full client library would cost the sim ~90 MB of RSS; this
// is all it needs.

export type ClusterConnection = {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  insecureSkipTlsVerify: boolean;
};

type Named<T> = { name: string } & T;
type KubeconfigFile = {
  "current-context"?: string;
  contexts?: Array<Named<{ context?: { cluster?: string; user?: string } }>>;
  clusters?: Array<
    Named<{ cluster?: { server?: string; "certificate-authority"?: string; "certificate-authority-data"?: string; "insecure-skip-tls-verify"?: boolean } }>
  >;
  users?: Array<
    Named<{
      user?: {
        "client-certificate"?: string;
        "client-certificate-data"?: string;
        "client-key"?: string;
        "client-key-data"?: string;
        token?: string;
        tokenFile?: string;
      };
    }>
  >;
};

export async function readKubeconfig(path: string): Promise<ClusterConnection> {
  const text = await readFile(path, "utf8").catch((error: Error) => {
    throw new Error(`kubelet-sim: cannot read kubeconfig ${path}: ${error.message}`);
  });
  const config = (parse(text) ?? {}) as KubeconfigFile;
  const where = `kubeconfig ${path}`;
  const contextName = config["current-context"];
  if (!contextName) throw new Error(`kubelet-sim: ${where} has no current-context; set one with \`kubectl config use-context\``);
  const context = config.contexts?.find((c) => c.name === contextName)?.context;
  if (!context) throw new Error(`kubelet-sim: ${where}: current-context "${contextName}" is not among its contexts`);
  const cluster = config.clusters?.find((c) => c.name === context.cluster)?.cluster;
  if (!cluster?.server) throw new Error(`kubelet-sim: ${where}: cluster "${context.cluster}" has no server`);
  const user = config.users?.find((u) => u.name === context.user)?.user ?? {};
  const base = dirname(path);
  const file = (p: string | undefined) => (p ? readFile(resolve(base, p)) : undefined);
  const data = (d: string | undefined) => (d ? Buffer.from(d, "base64") : undefined);
  return {
    server: cluster.server.replace(/\/+$/, ""),
    ca: data(cluster["certificate-authority-data"]) ?? (await file(cluster["certificate-authority"])),
    cert: data(user["client-certificate-data"]) ?? (await file(user["client-certificate"])),
    key: data(user["client-key-data"]) ?? (await file(user["client-key"])),
    token: user.token ?? (user.tokenFile ? (await readFile(resolve(base, user.tokenFile), "utf8")).trim() : undefined),
    insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true,
  };
}
