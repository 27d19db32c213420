import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClients, createTestNamespace, expectApiError, statusMessage, tokenClients } from "../test-support/lab-client.ts";

describe("RBAC", () => {
  const admin = adminClients();
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;
  let token: string;

  beforeAll(async () => {
    ns = await createTestNamespace("lab-rbac");
    // A ServiceAccount that may read Jobs but not create them.
    await admin.core.createNamespacedServiceAccount({ namespace: ns.name, body: { metadata: { name: "reader" } } });
    await admin.rbac.createNamespacedRole({
      namespace: ns.name,
      body: { metadata: { name: "job-reader" }, rules: [{ apiGroups: ["batch"], resources: ["jobs"], verbs: ["get", "list", "watch"] }] },
    });
    await admin.rbac.createNamespacedRoleBinding({
      namespace: ns.name,
      body: {
        metadata: { name: "reader-reads-jobs" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "job-reader" },
        subjects: [{ kind: "ServiceAccount", name: "reader", namespace: ns.name }],
      },
    });
    const request = await admin.core.createNamespacedServiceAccountToken({
      name: "reader",
      namespace: ns.name,
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    token = request.status?.token ?? "";
    expect(token).not.toBe("");
  });
  afterAll(() => ns?.remove());

  const job = {
    metadata: { name: "not-allowed" },
    spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "lab.local/noop:1" }] } } },
  };

  for (const viaFaultProxy of [false, true]) {
    const route = viaFaultProxy ? "through the fault proxy" : "straight to the API server";
    it(`a ServiceAccount without create on jobs gets 403, ${route}`, async () => {
      const { batch } = tokenClients(token, { viaFaultProxy });
      // It authenticates and may list (so the 403 below is about the verb, not the token)...
      const list = await batch.listNamespacedJob({ namespace: ns.name });
      expect(list.items).toEqual([]);
      // ...but not create.
      const error = await expectApiError(() => batch.createNamespacedJob({ namespace: ns.name, body: job }));
      expect(error.code).toBe(403);
      expect(statusMessage(error)).toContain(`User "system:serviceaccount:${ns.name}:reader" cannot create resource "jobs"`);
    });
  }
});
