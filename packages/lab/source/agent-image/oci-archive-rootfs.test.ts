import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { imageExecutables, resolveInRoot, unpackOciArchive } from "./oci-archive-rootfs.ts";

// A small OCI archive laid out as buildah writes one (index.json, blobs/sha256/*), with two
// gzip layers: the second replaces a file, whites out another and adds the image's PATH links.
let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "oci-rootfs-"));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function layer(name: string, build: (root: string) => void): Buffer {
  const root = join(scratch, `layer-${name}`);
  mkdirSync(root, { recursive: true });
  build(root);
  return execFileSync("tar", ["-czf", "-", "-C", root, "."]);
}

function executable(path: string, text: string) {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

function archive(layers: Buffer[]): string {
  const dir = join(scratch, "oci");
  mkdirSync(join(dir, "blobs", "sha256"), { recursive: true });
  const put = (bytes: Buffer) => {
    const hex = sha256(bytes);
    writeFileSync(join(dir, "blobs", "sha256", hex), bytes);
    return `sha256:${hex}`;
  };
  const manifest = Buffer.from(
    JSON.stringify({ schemaVersion: 2, layers: layers.map((bytes) => ({ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: put(bytes) })) }),
  );
  writeFileSync(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: put(manifest) }] }));
  writeFileSync(join(dir, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
  const path = join(scratch, "image.oci.tar");
  execFileSync("tar", ["-cf", path, "-C", dir, "index.json", "oci-layout", "blobs"]);
  return path;
}

describe("unpackOciArchive", () => {
  it("unpacks the layers in order, applies whiteouts, and finds claude and node through the image's PATH links", () => {
    const base = layer("base", (root) => {
      executable(join(root, "usr/bin/old-tool"), "#!/bin/sh\n");
      writeFileSync(join(root, "etc-motd"), "base\n");
      mkdirSync(join(root, "var/lists/partial/deeper"), { recursive: true });
      writeFileSync(join(root, "var/lists/partial/deeper/file"), "x");
      mkdirSync(join(root, "usr/local/bin"), { recursive: true });
    });
    const top = layer("top", (root) => {
      mkdirSync(join(root, "usr/bin"), { recursive: true });
      writeFileSync(join(root, "usr/bin/.wh.old-tool"), "");
      // A directory whited out (as apt's lists/partial is): gone with what is below it.
      mkdirSync(join(root, "var/lists"), { recursive: true });
      writeFileSync(join(root, "var/lists/.wh.partial"), "");
      writeFileSync(join(root, "etc-motd"), "top\n");
      const pkg = join(root, "usr/local/lib/nodejs/lib/node_modules/@anthropic-ai/claude-code");
      executable(join(pkg, "bin/claude.exe"), "#!/bin/sh\necho '9.9.9 (Claude Code)'\n");
      writeFileSync(join(pkg, "package.json"), '{"name":"@anthropic-ai/claude-code","version":"9.9.9"}');
      executable(join(root, "usr/local/lib/nodejs/bin/node"), "#!/bin/sh\necho v24.0.0\n");
      symlinkSync("../lib/node_modules/@anthropic-ai/claude-code/bin/claude.exe", join(root, "usr/local/lib/nodejs/bin/claude"));
      mkdirSync(join(root, "usr/local/bin"), { recursive: true });
      symlinkSync("/usr/local/lib/nodejs/bin/claude", join(root, "usr/local/bin/claude"));
      symlinkSync("/usr/local/lib/nodejs/bin/node", join(root, "usr/local/bin/node"));
    });
    const path = archive([base, top]);
    const lines: string[] = [];
    const rootfs = unpackOciArchive(path, (line) => lines.push(line));
    expect(lines).toHaveLength(2);
    expect(existsSync(join(rootfs, "usr/bin/old-tool"))).toBe(false);
    expect(existsSync(join(rootfs, "usr/bin/.wh.old-tool"))).toBe(false);
    expect(readFileSync(join(rootfs, "etc-motd"), "utf8")).toBe("top\n");
    expect(existsSync(join(rootfs, "var/lists/partial"))).toBe(false);
    expect(existsSync(join(rootfs, "var/lists"))).toBe(true);
    const { claude, node } = imageExecutables(rootfs);
    expect(claude).toEqual({ path: join(rootfs, "usr/local/lib/nodejs/lib/node_modules/@anthropic-ai/claude-code/bin/claude.exe"), version: "9.9.9" });
    expect(node).toEqual({ path: join(rootfs, "usr/local/lib/nodejs/bin/node"), version: "v24.0.0" });
    // Unpacked once: a second call reuses it.
    expect(unpackOciArchive(path, (line) => lines.push(line))).toBe(rootfs);
    expect(lines).toHaveLength(2);
  });

  it("names the missing archive and how to build it", () => {
    expect(() => unpackOciArchive(join(scratch, "nope.tar"))).toThrow(/does not exist; build it with images\/agent\/build-lab-image\.sh/);
  });
});

describe("resolveInRoot", () => {
  it("refuses a link that leaves the root filesystem, and names a missing file", () => {
    const root = join(scratch, "root");
    mkdirSync(join(root, "usr/local/bin"), { recursive: true });
    symlinkSync("../../../../../etc/passwd", join(root, "usr/local/bin/claude"));
    expect(() => resolveInRoot(root, "/usr/local/bin/claude")).toThrow(/points outside it/);
    expect(() => resolveInRoot(root, "/usr/local/bin/node")).toThrow(/the agent image has no \/usr\/local\/bin\/node/);
  });
});
