import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { apiRequestKind } from "./api-request-kind.ts";

describe("apiRequestKind", () => {
  it.each([
    ["POST", "/apis/batch/v1/namespaces/agents/jobs", {}, "create", "jobs"],
    ["GET", "/apis/batch/v1/namespaces/agents/jobs", {}, "list", "jobs"],
    ["GET", "/apis/batch/v1/namespaces/agents/jobs", { watch: 1 }, "watch", "jobs"],
    ["GET", "/api/v1/namespaces/agents/pods/run-x/log", { follow: true }, "get", "pods/log"],
    ["PATCH", "/apis/coordination.k8s.io/v1/namespaces/agents/leases/owner-1", {}, "patch", "leases"],
    ["PUT", "/api/v1/namespaces/agents/secrets/s", {}, "update", "secrets"],
    ["DELETE", "/api/v1/namespaces/agents/pods/p", {}, "delete", "pods"],
    ["GET", "/api/v1/namespaces/agents", {}, "get", "namespaces"],
    ["POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {}, "create", "selfsubjectaccessreviews"],
  ])("%s %s -> %s %s", (method, path, query, verb, resource) => {
    expect(apiRequestKind(method, path, query)).toEqual({ verb, resource });
  });

  it("property: never names an object or a namespace, only a resource from the path's shape", () => {
    const segment = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
    fc.assert(
      fc.property(fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"), segment, segment, fc.constantFrom("pods", "jobs", "secrets"), (method, namespace, name, resource) => {
        const kind = apiRequestKind(method, `/api/v1/namespaces/${namespace}/${resource}/${name}`);
        expect(kind.resource).toBe(resource);
        expect(["get", "create", "update", "patch", "delete"]).toContain(kind.verb);
      }),
    );
  });
});
