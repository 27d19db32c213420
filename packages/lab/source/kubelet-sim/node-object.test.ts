import { describe, expect, it } from "vitest";
import { microTime, nodeObject, secondsTime } from "./node-object.ts";

describe("nodeObject", () => {
  const node = nodeObject(
    { nodeName: "lab-node-1", kubeletPort: 10250, capacity: { cpu: "2", memory: "8Gi", pods: "110" }, kubeletVersion: "v1.37.1" },
    "2026-11-22T09:00:00Z",
  );

  it("tells the API server where the kubelet API is and what fits", () => {
    expect(node.status.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
    expect(node.status.addresses).toContainEqual({ type: "InternalIP", address: "127.0.0.1" });
    expect(node.status.allocatable).toEqual({ cpu: "2", memory: "8Gi", pods: "110", "ephemeral-storage": "100Gi" });
    expect(node.metadata.labels["kubernetes.io/hostname"]).toBe("lab-node-1");
    expect(node.status.nodeInfo.kubeletVersion).toBe("v1.37.1");
  });

  it("is Ready and under no pressure", () => {
    const status = Object.fromEntries(node.status.conditions.map((c) => [c.type, c.status]));
    expect(status).toEqual({ Ready: "True", MemoryPressure: "False", DiskPressure: "False", PIDPressure: "False" });
  });
});

describe("time formats", () => {
  it("writes MicroTime with six fractional digits and Time with none", () => {
    const ms = Date.parse("2026-11-22T09:15:11.123Z");
    expect(microTime(ms)).toBe("2026-11-22T09:15:11.123000Z");
    expect(secondsTime(ms)).toBe("2026-11-22T09:15:11Z");
  });
});
