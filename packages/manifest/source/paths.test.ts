import { describe, expect, it } from "vitest";
import { ManifestErrorCode } from "./errors.ts";
import { normalizeAbsolutePath, translateServerPath } from "./paths.ts";

const roots = { server: "/srv/paperclip", pod: "/paperclip" };

describe("translateServerPath", () => {
  it("maps a path under the server's mount onto the pod's", () => {
    expect(translateServerPath("cwd", "/srv/paperclip/ws/ceo", roots)).toEqual({ podPath: "/paperclip/ws/ceo", relative: "ws/ceo" });
    expect(translateServerPath("cwd", "/srv/paperclip", roots)).toEqual({ podPath: "/paperclip", relative: "" });
    expect(translateServerPath("cwd", "/srv/paperclip//ws/./a/", roots).podPath).toBe("/paperclip/ws/a");
  });

  it("refuses paths that only look like they are inside", () => {
    for (const path of ["/srv/paperclip-other/x", "/srv/paperclip/../etc/passwd", "/srv", "/tmp/x"]) {
      expect(() => translateServerPath("cwd", path, roots)).toThrow(expect.objectContaining({ code: ManifestErrorCode.pathOutsideVolume }));
    }
    expect(() => translateServerPath("cwd", "/tmp/x", roots)).toThrow(/cwd "\/tmp\/x" lies outside the shared volume, which the server mounts at \/srv\/paperclip/);
  });

  it("refuses relative paths and says when there is no shared volume at all", () => {
    expect(() => translateServerPath("cwd", "ws/ceo", roots)).toThrow(/not an absolute path/);
    expect(() => translateServerPath("cwd", "/paperclip/ws", undefined)).toThrow(/no shared volume is configured. Set workspaceVolumeClaim/);
  });

  it("treats a server root of / as covering everything", () => {
    expect(translateServerPath("cwd", "/home/x", { server: "/", pod: "/paperclip" }).podPath).toBe("/paperclip/home/x");
  });
});

describe("normalizeAbsolutePath", () => {
  it("resolves dot segments and extra slashes, and rejects what is no path", () => {
    expect(normalizeAbsolutePath("/a/b/../c/./d//")).toBe("/a/c/d");
    expect(normalizeAbsolutePath("/../..")).toBe("/");
    expect(normalizeAbsolutePath("a/b")).toBeUndefined();
    expect(normalizeAbsolutePath("/a\0b")).toBeUndefined();
  });
});
