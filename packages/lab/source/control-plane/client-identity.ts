import { join } from "node:path";
import type { ControlPlane } from "./control-plane.ts";
import { writeKubeconfig } from "./kubeconfig.ts";
import type { KeyPair } from "./pki.ts";

export type ClientIdentity = { kubeconfigPath: string; client: KeyPair };

/**
 * A client certificate and kubeconfig for another identity of the lab, straight to the API
 * server. kubelet-sim uses it for its node identity:
 *   { name: "node-lab-1", commonName: "system:node:lab-1", organizations: ["system:nodes"] }
 * which the Node authorizer and NodeRestriction admission then treat like a real kubelet.
 */
export async function createClientIdentity(
  controlPlane: ControlPlane,
  identity: { name: string; commonName: string; organizations?: readonly string[] },
): Promise<ClientIdentity> {
  const client = await controlPlane.pki.issue(controlPlane.pki.clusterCa, {
    name: identity.name,
    commonName: identity.commonName,
    organizations: identity.organizations,
    usage: "client",
  });
  const kubeconfigPath = await writeKubeconfig({
    path: join(controlPlane.dataDir, `${identity.name}.kubeconfig`),
    server: controlPlane.server,
    caPath: controlPlane.caPath,
    client,
    name: "claude-k8s-lab",
    user: identity.commonName,
  });
  return { kubeconfigPath, client };
}

/**
 * A serving certificate chained to the lab CA, e.g. for kubelet-sim's HTTPS API: the API
 * server verifies the kubelet's certificate against this CA (--kubelet-certificate-authority)
 * before it forwards logs, exec or port-forward.
 */
export function createServingCertificate(
  controlPlane: ControlPlane,
  serving: { name: string; commonName: string; ipAddresses?: readonly string[]; dnsNames?: readonly string[] },
): Promise<KeyPair> {
  return controlPlane.pki.issue(controlPlane.pki.clusterCa, {
    name: serving.name,
    commonName: serving.commonName,
    usage: "server",
    ipAddresses: serving.ipAddresses ?? ["127.0.0.1"],
    dnsNames: serving.dnsNames ?? ["localhost"],
  });
}
