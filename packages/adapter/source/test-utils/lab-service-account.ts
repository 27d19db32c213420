// Test utilities: the adapter's least-privilege identity (rbacManifests) created in a lab
// namespace, and a kubeconfig that authenticates as it through the lab's fault proxy.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { V1Role, V1RoleBinding } from "@kubernetes/client-node";
import { adminClients, labEndpoints } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { rbacManifests } from "../rbac.ts";

export async function serviceAccountKubeconfig(namespace: string, options: { withRole?: boolean; name?: string } = {}): Promise<string> {
  const { core, rbac } = adminClients();
  const [serviceAccount, role, binding] = rbacManifests({ namespace, ...(options.name ? { serviceAccountName: options.name } : {}) });
  const name = serviceAccount.metadata.name;
  await core.createNamespacedServiceAccount({ namespace, body: serviceAccount });
  if (options.withRole !== false) {
    await rbac.createNamespacedRole({ namespace, body: role as V1Role });
    await rbac.createNamespacedRoleBinding({ namespace, body: binding as V1RoleBinding });
  }
  const request = await core.createNamespacedServiceAccountToken({ name, namespace, body: { spec: { expirationSeconds: 3600, audiences: [] } } });
  const lab = labEndpoints();
  const file = path.join(mkdtempSync(path.join(tmpdir(), "sa-kubeconfig-")), "kubeconfig");
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "lab", cluster: { server: lab.proxyServer, "certificate-authority": lab.caPath } }],
      users: [{ name, user: { token: request.status?.token } }],
      contexts: [{ name: "lab", context: { cluster: "lab", user: name, namespace } }],
      "current-context": "lab",
    }),
    { mode: 0o600 },
  );
  return file;
}
