import { describe, expect, it } from "vitest";
import { describeRequest, requestKey } from "./request-info.ts";

const key = (method: string, url: string) => requestKey(describeRequest(method, url));

describe("describeRequest", () => {
  it("tells list, watch and get apart", () => {
    expect(key("GET", "/api/v1/namespaces/a/pods")).toBe("list pods");
    expect(key("GET", "/api/v1/namespaces/a/pods?watch=true&resourceVersion=5")).toBe("watch pods");
    expect(key("GET", "/api/v1/namespaces/a/pods?watch=1")).toBe("watch pods");
    expect(key("GET", "/api/v1/watch/namespaces/a/pods")).toBe("watch pods");
    expect(key("GET", "/api/v1/namespaces/a/pods/p1")).toBe("get pods");
    expect(key("GET", "/api/v1/pods")).toBe("list pods");
  });

  it("names the group and the subresource", () => {
    expect(key("POST", "/apis/batch/v1/namespaces/a/jobs")).toBe("create jobs.batch");
    expect(key("PUT", "/apis/batch/v1/namespaces/a/jobs/j/status")).toBe("update jobs.batch/status");
    expect(key("DELETE", "/apis/batch/v1/namespaces/a/jobs/j")).toBe("delete jobs.batch");
    expect(key("DELETE", "/apis/batch/v1/namespaces/a/jobs")).toBe("deletecollection jobs.batch");
    expect(key("PATCH", "/apis/coordination.k8s.io/v1/namespaces/a/leases/l")).toBe("patch leases.coordination.k8s.io");
  });

  it("treats a namespace's own status and finalize as subresources of namespaces", () => {
    expect(key("GET", "/api/v1/namespaces/a")).toBe("get namespaces");
    expect(key("PUT", "/api/v1/namespaces/a/finalize")).toBe("update namespaces/finalize");
    expect(key("GET", "/api/v1/namespaces/a/status")).toBe("get namespaces/status");
    expect(key("GET", "/api/v1/namespaces")).toBe("list namespaces");
  });

  it("marks the streams the proxy can cut", () => {
    expect(describeRequest("GET", "/api/v1/namespaces/a/pods/p/log?follow=true&container=c").stream).toBe("log");
    expect(describeRequest("GET", "/apis/batch/v1/jobs?watch=true").stream).toBe("watch");
    expect(describeRequest("POST", "/api/v1/namespaces/a/pods/p/exec?command=sh").stream).toBe("exec");
    expect(describeRequest("GET", "/api/v1/namespaces/a/pods/p").stream).toBeNull();
  });

  it("keeps non-resource paths by path", () => {
    expect(key("GET", "/version")).toBe("get /version");
    expect(key("GET", "/apis/batch/v1")).toBe("get /apis/batch/v1");
    expect(key("GET", "/api")).toBe("get /api");
    expect(describeRequest("GET", "/readyz?verbose").isResource).toBe(false);
  });
});
