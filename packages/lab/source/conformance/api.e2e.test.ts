import { readFileSync } from "node:fs";
import { request } from "node:https";
import { VersionApi } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { pinnedKubernetesVersion } from "../control-plane/paths.ts";
import { adminClients, labEndpoints } from "../test-support/lab-client.ts";

describe("the lab's API server", () => {
  it("answers with the pinned Kubernetes version", async () => {
    const { kubeConfig } = adminClients();
    const version = await kubeConfig.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toBe(pinnedKubernetesVersion());
    expect(`v${version.major}.${version.minor}`).toBe(pinnedKubernetesVersion().replace(/\.\d+$/, ""));
  });

  it("has the system namespaces and the default ServiceAccount", async () => {
    const { core } = adminClients();
    const names = (await core.listNamespace()).items.map((ns) => ns.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(["default", "kube-system", "kube-public", "kube-node-lease"]));
    const sa = await core.readNamespacedServiceAccount({ name: "default", namespace: "default" });
    expect(sa.metadata?.name).toBe("default");
  });

  it("listens on loopback only", () => {
    const lab = labEndpoints();
    for (const url of [lab.server, lab.proxyServer, lab.faultProxyControl.url]) {
      expect(new URL(url).hostname).toBe("127.0.0.1");
    }
  });

  it("serves the same identity through the fault proxy", async () => {
    const direct = adminClients();
    const proxied = adminClients({ viaFaultProxy: true });
    const [a, b] = await Promise.all([
      direct.core.listNamespace().then((list) => list.items.length),
      proxied.core.listNamespace().then((list) => list.items.length),
    ]);
    expect(b).toBe(a);
  });

  it("ignores identity headers a caller sends to the fault proxy", async () => {
    const lab = labEndpoints();
    // No client certificate and no token, but a forged front-proxy identity: the proxy must
    // strip it, so the API server sees system:anonymous.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${lab.proxyServer}/api/v1/namespaces/kube-system/secrets`,
        {
          ca: readFileSync(lab.caPath),
          headers: { "X-Remote-User": "lab-admin", "X-Remote-Group": "system:masters" },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});
