import { describe, expect, it } from "vitest";
import { ManifestErrorCode } from "./errors.ts";
import { buildRunSecret, MAX_SECRET_BYTES, withOwnerJob } from "./secret.ts";

const base = { name: "ac-x-run", namespace: "agents", labels: { a: "b" } };

describe("buildRunSecret", () => {
  it("stores entries as base64 of their UTF-8 bytes", () => {
    const secret = buildRunSecret({ ...base, entries: { "prompt.txt": "héllo" } });
    expect(secret.data["prompt.txt"]).toBe(Buffer.from("héllo", "utf8").toString("base64"));
  });

  it("accepts exactly 1 MiB and refuses one byte more, counting UTF-8 bytes", () => {
    expect(() => buildRunSecret({ ...base, entries: { a: "x".repeat(MAX_SECRET_BYTES - 2), b: "é" } })).not.toThrow();
    expect(() => buildRunSecret({ ...base, entries: { a: "x".repeat(MAX_SECRET_BYTES - 1), b: "é" } })).toThrow(
      expect.objectContaining({ code: ManifestErrorCode.secretTooLarge, message: expect.stringContaining("1048577 bytes") }),
    );
  });

  it("gains an ownerReference to its Job once the Job exists", () => {
    const owned = withOwnerJob(buildRunSecret({ ...base, entries: {} }), { name: "ac-x", uid: "u-1" });
    expect(owned.metadata.ownerReferences).toEqual([{ apiVersion: "batch/v1", kind: "Job", name: "ac-x", uid: "u-1", blockOwnerDeletion: false }]);
  });
});
