import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClients, createTestNamespace, expectApiError, statusMessage } from "../test-support/lab-client.ts";

describe("Pod Security admission", () => {
  const { core } = adminClients();
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;
  beforeAll(async () => {
    ns = await createTestNamespace("lab-psa", { "pod-security.kubernetes.io/enforce": "restricted" });
  });
  afterAll(() => ns?.remove());

  it("rejects a privileged pod in a namespace that enforces restricted", async () => {
    const error = await expectApiError(() =>
      core.createNamespacedPod({
        namespace: ns.name,
        body: {
          metadata: { name: "privileged" },
          spec: { containers: [{ name: "main", image: "lab.local/noop:1", securityContext: { privileged: true } }] },
        },
      }),
    );
    expect(error.code).toBe(403);
    expect(statusMessage(error)).toMatch(/violates PodSecurity "restricted:latest": privileged/);
  });

  it("admits a pod that meets restricted (so the rejection above is about the pod)", async () => {
    const pod = await core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: { name: "restricted-ok" },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "main",
              image: "lab.local/noop:1",
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            },
          ],
        },
      },
    });
    expect(pod.metadata?.name).toBe("restricted-ok");
  });
});
