import { describe, expect, it } from "vitest";
import { invalidImageReason, lookupImage, parseImageCatalog } from "./image-catalog.ts";

describe("invalidImageReason", () => {
  it.each(["busybox", "busybox:1.36", "docker.io/library/node:24-slim", "localhost:5000/a/b:c", `ghcr.io/org/img@sha256:${"a".repeat(64)}`])(
    "accepts %s",
    (reference) => expect(invalidImageReason(reference)).toBeUndefined(),
  );

  it.each(["", "Busybox", "busy box", "img:", "img:tag:more", ":tag", "a//b"])("rejects %j", (reference) => {
    expect(invalidImageReason(reference)).toBe("invalid reference format");
  });
});

describe("lookupImage", () => {
  const catalog = parseImageCatalog({
    "registry.example/missing:1": { state: "missing" },
    "registry.example/slow": { state: "slow", pullDelayMs: 1500, cmd: ["sleep", "1"] },
    "claude:latest": { state: "present", entrypoint: ["claude"], env: { HOME: "/home/node" } },
  });

  it("treats unknown images as present", () => {
    expect(lookupImage(catalog, "busybox:1.36")).toEqual({ kind: "present", pullDelayMs: 0, image: {} });
  });

  it("fails a missing image with the kubelet's ErrImagePull message", () => {
    expect(lookupImage(catalog, "registry.example/missing:1")).toEqual({
      kind: "missing",
      message: 'Failed to pull image "registry.example/missing:1": failed to resolve reference "registry.example/missing:1": not found',
    });
  });

  it("gives a slow image its pull delay and its defaults", () => {
    expect(lookupImage(catalog, "registry.example/slow:latest")).toEqual({
      kind: "present",
      pullDelayMs: 1500,
      image: { cmd: ["sleep", "1"], entrypoint: undefined, env: undefined, workingDir: undefined },
    });
  });

  it("matches an untagged reference against its :latest entry", () => {
    const found = lookupImage(catalog, "claude");
    expect(found.kind === "present" && found.image.entrypoint).toEqual(["claude"]);
  });

  it("reports InvalidImageName for a malformed reference", () => {
    expect(lookupImage(catalog, "Bad Image")).toEqual({
      kind: "invalid",
      reason: "InvalidImageName",
      message: `Failed to apply default image tag "Bad Image": couldn't parse image name "Bad Image": invalid reference format`,
    });
  });
});

describe("parseImageCatalog", () => {
  it("names the entry and the fix", () => {
    expect(() => parseImageCatalog({ "a:1": { state: "gone" } })).toThrow(/image "a:1": "state" must be "present", "missing" or "slow", got "gone"/);
    expect(() => parseImageCatalog({ "a:1": { state: "slow" } })).toThrow(/needs "pullDelayMs"/);
    expect(() => parseImageCatalog([])).toThrow(/expected an object/);
  });
});
