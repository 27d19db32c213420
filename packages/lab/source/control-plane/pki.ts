import { generateKeyPairSync } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCommand } from "./run-command.ts";

// x509 certificates come from the `openssl` CLI: node:crypto reads certificates but cannot
// create them, and a pure-JS x509 library is not worth a dependency for a test lab.
// Keys are ECDSA P-256: fast to generate and accepted by every Kubernetes component.

export type CertificateAuthority = { name: string; certPath: string; keyPath: string };
export type KeyPair = { certPath: string; keyPath: string };

export type CertRequest = {
  /** File name stem under the PKI dir: `<name>.crt`, `<name>.key`. */
  name: string;
  /** Kubernetes reads the user name from CN and the groups from O. */
  commonName: string;
  organizations?: readonly string[];
  usage: "client" | "server" | "client+server";
  ipAddresses?: readonly string[];
  dnsNames?: readonly string[];
};

export type Pki = {
  dir: string;
  /** Signs every serving and client certificate the cluster trusts (--client-ca-file). */
  clusterCa: CertificateAuthority;
  /** A separate CA for the fault proxy's request-header identity: the x509 authenticator
   *  must not accept the proxy's own certificate as a user. */
  frontProxyCa: CertificateAuthority;
  serviceAccountKeyPath: string;
  serviceAccountPublicKeyPath: string;
  /** Issues another certificate from a CA of this PKI (kubelet-sim uses it for its serving cert). */
  issue(ca: CertificateAuthority, request: CertRequest): Promise<KeyPair>;
};

const validDays = "3650";

async function writeOpensslConfig(dir: string): Promise<string> {
  // Our own minimal config, so the distribution's openssl.cnf cannot add extensions.
  const path = join(dir, "openssl-req.cnf");
  await writeFile(path, "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n");
  return path;
}

function subject(commonName: string, organizations: readonly string[] = []): string {
  const escapeValue = (value: string) => value.replace(/[/\\+=,]/g, (c) => `\\${c}`);
  return `${organizations.map((o) => `/O=${escapeValue(o)}`).join("")}/CN=${escapeValue(commonName)}`;
}

async function createCa(dir: string, config: string, name: string, commonName: string): Promise<CertificateAuthority> {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  await runCommand(
    "openssl",
    [
      "req", "-config", config, "-x509", "-new", "-nodes",
      "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-keyout", keyPath, "-out", certPath, "-days", validDays, "-subj", subject(commonName),
      "-addext", "basicConstraints=critical,CA:TRUE",
      "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
      "-addext", "subjectKeyIdentifier=hash",
    ],
    `creating the ${name} certificate authority`,
  );
  return { name, certPath, keyPath };
}

async function issue(dir: string, config: string, ca: CertificateAuthority, request: CertRequest): Promise<KeyPair> {
  const certPath = join(dir, `${request.name}.crt`);
  const keyPath = join(dir, `${request.name}.key`);
  const extendedUsage = { client: "clientAuth", server: "serverAuth", "client+server": "clientAuth,serverAuth" }[request.usage];
  const altNames = [
    ...(request.ipAddresses ?? []).map((ip) => `IP:${ip}`),
    ...(request.dnsNames ?? []).map((dns) => `DNS:${dns}`),
  ];
  const args = [
    "req", "-config", config, "-new", "-nodes", "-x509",
    "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-keyout", keyPath, "-out", certPath, "-days", validDays,
    "-CA", ca.certPath, "-CAkey", ca.keyPath,
    "-subj", subject(request.commonName, request.organizations),
    "-addext", "basicConstraints=critical,CA:FALSE",
    "-addext", "keyUsage=critical,digitalSignature,keyEncipherment",
    "-addext", `extendedKeyUsage=${extendedUsage}`,
  ];
  if (altNames.length > 0) args.push("-addext", `subjectAltName=${altNames.join(",")}`);
  await runCommand("openssl", args, `issuing the ${request.name} certificate`);
  return { certPath, keyPath };
}

/** Creates the lab's CAs and service-account signing key in `dir` (fresh on every start). */
export async function createPki(dir: string): Promise<Pki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const config = await writeOpensslConfig(dir);
  const [clusterCa, frontProxyCa] = await Promise.all([
    createCa(dir, config, "ca", "claude-k8s-lab-ca"),
    createCa(dir, config, "front-proxy-ca", "claude-k8s-lab-front-proxy-ca"),
  ]);
  // The API server signs service-account tokens with this key and verifies them with its
  // public half; the controller manager signs legacy token Secrets with it too.
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const serviceAccountKeyPath = join(dir, "sa.key");
  const serviceAccountPublicKeyPath = join(dir, "sa.pub");
  await writeFile(serviceAccountKeyPath, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  await writeFile(serviceAccountPublicKeyPath, publicKey.export({ type: "spki", format: "pem" }));
  return {
    dir,
    clusterCa,
    frontProxyCa,
    serviceAccountKeyPath,
    serviceAccountPublicKeyPath,
    issue: (ca, request) => issue(dir, config, ca, request),
  };
}
