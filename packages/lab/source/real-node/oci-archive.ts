import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { run } from "./exec.ts";

// Writes a one-layer OCI image archive (an OCI image layout in a tar) from a directory
// rootfs, for `ctr images import`. There is no registry here and no image builder is
// needed for this: the layer is a plain tar of the directory, owned by root.

export type ImageConfig = {
  /** ENTRYPOINT and CMD, as in an image config. */
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
};

export type OciArchiveOptions = {
  /** The directory to turn into the image's only layer. */
  rootfs: string;
  /** Full reference, e.g. "lab.local/busybox:1": `ctr images import` names the image so. */
  reference: string;
  config: ImageConfig;
  /** Where the archive goes (written next to it first, then renamed). */
  out: string;
};

export async function writeOciArchive(options: OciArchiveOptions): Promise<{ digest: string; bytes: number }> {
  const work = await mkdtemp(join(dirname(options.out), ".oci-"));
  try {
    const blobs = join(work, "layout", "blobs", "sha256");
    await mkdir(blobs, { recursive: true });
    const layerPath = join(work, "layer.tar");
    // Reproducible and owned by root whoever builds it; numeric ids, no host user names.
    await run("tar", [
      "--create",
      `--file=${layerPath}`,
      "--sort=name",
      "--mtime=@0",
      "--owner=0",
      "--group=0",
      "--numeric-owner",
      `--directory=${options.rootfs}`,
      ".",
    ], "writing an image layer");
    const layer = { digest: await sha256File(layerPath), size: (await stat(layerPath)).size };
    await rename(layerPath, join(blobs, layer.digest));

    const config = json({
      architecture: "amd64",
      os: "linux",
      config: {
        Entrypoint: options.config.entrypoint,
        Cmd: options.config.cmd,
        Env: options.config.env ?? ["PATH=/usr/local/bin:/usr/bin:/bin"],
        WorkingDir: options.config.workingDir,
        User: options.config.user,
      },
      rootfs: { type: "layers", diff_ids: [`sha256:${layer.digest}`] },
    });
    const configBlob = await writeBlob(blobs, config);
    const manifest = json({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: `sha256:${configBlob.digest}`, size: configBlob.size },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: `sha256:${layer.digest}`, size: layer.size }],
    });
    const manifestBlob = await writeBlob(blobs, manifest);
    const index = json({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [
        {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          digest: `sha256:${manifestBlob.digest}`,
          size: manifestBlob.size,
          platform: { architecture: "amd64", os: "linux" },
          annotations: { "io.containerd.image.name": options.reference, "org.opencontainers.image.ref.name": tagOf(options.reference) },
        },
      ],
    });
    await writeFile(join(work, "layout", "index.json"), index);
    await writeFile(join(work, "layout", "oci-layout"), json({ imageLayoutVersion: "1.0.0" }));
    const tmpOut = join(work, "image.tar");
    await run("tar", ["--create", `--file=${tmpOut}`, "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", `--directory=${join(work, "layout")}`, "."], "writing an image archive");
    await rename(tmpOut, options.out);
    return { digest: `sha256:${manifestBlob.digest}`, bytes: (await stat(options.out)).size };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

async function writeBlob(dir: string, content: Buffer): Promise<{ digest: string; size: number }> {
  const digest = createHash("sha256").update(content).digest("hex");
  await writeFile(join(dir, digest), content);
  return { digest, size: content.length };
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

function tagOf(reference: string): string {
  const lastSegment = reference.slice(reference.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  return colon === -1 ? "latest" : lastSegment.slice(colon + 1);
}
