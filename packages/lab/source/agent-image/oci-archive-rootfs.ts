import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { AgentExecutable } from "./agent-image.ts";

// The agent image built from images/agent/Containerfile (build-lab-image.sh writes it as an
// OCI archive) unpacked into a root filesystem, and the executables the image contract puts
// on PATH found in it. kubelet-sim runs containers as host processes, so the lab takes the
// image's own `claude` and `node` from there; a real node would import the archive instead.
// Unpacked once per archive (beside it, by the manifest digest) with GNU tar, no daemon.

/** Set to an OCI archive of the agent image: the lab's agent runs that image's claude and node. */
export const agentImageArchiveVariable = "CLAUDE_K8S_LAB_AGENT_IMAGE_ARCHIVE";

type OciDescriptor = { mediaType: string; digest: string };

/** Unpacks the archive's (single) image into `<archive dir>/rootfs-<digest>/` once and returns that directory. */
export function unpackOciArchive(archive: string, log: (line: string) => void = () => {}): string {
  if (!existsSync(archive)) {
    throw new Error(`${agentImageArchiveVariable}: ${archive} does not exist; build it with images/agent/build-lab-image.sh (its --print-archive prints the path)`);
  }
  const index = JSON.parse(readMember(archive, "index.json")) as { manifests?: OciDescriptor[] };
  const manifests = index.manifests ?? [];
  if (manifests.length !== 1) throw new Error(`${archive}: expected one image in index.json, found ${manifests.length}`);
  const manifestDigest = manifests[0]!.digest;
  const manifest = JSON.parse(readMember(archive, blobPath(manifestDigest))) as { layers?: OciDescriptor[] };
  const target = join(dirname(archive), `rootfs-${manifestDigest.replace(/^sha256:/, "").slice(0, 16)}`);
  if (existsSync(join(target, ".complete"))) return target;
  const scratch = `${target}.partial`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  for (const [n, layer] of (manifest.layers ?? []).entries()) {
    if (!/^application\/vnd\.oci\.image\.layer\.v1\.tar(\+gzip)?$/.test(layer.mediaType)) {
      throw new Error(`${archive}: layer ${layer.digest} has media type ${layer.mediaType}; only tar and tar+gzip layers are supported`);
    }
    log(`unpacking layer ${n + 1}/${manifest.layers!.length} (${layer.digest.slice(0, 19)})`);
    // tar reads the layer out of the archive and unpacks it; gzip is recognised by content.
    execFileSync("sh", ["-c", 'tar -xOf "$1" "$2" | tar -x --no-same-owner -C "$3" -f - $4', "unpack", archive, blobPath(layer.digest), scratch, layer.mediaType.endsWith("+gzip") ? "-z" : ""], {
      stdio: ["ignore", "ignore", "pipe"],
      maxBuffer: 16 * 1024 * 1024,
    });
    applyWhiteouts(scratch);
  }
  writeFileSync(join(scratch, ".complete"), `${manifestDigest}\n`);
  rmSync(target, { recursive: true, force: true });
  renameSync(scratch, target);
  return target;
}

/** The image's `claude` and `node` (as on its PATH, /usr/local/bin), resolved inside the root filesystem. */
export function imageExecutables(rootfs: string): { claude: AgentExecutable; node: AgentExecutable } {
  const claudePath = resolveInRoot(rootfs, "/usr/local/bin/claude");
  const nodePath = resolveInRoot(rootfs, "/usr/local/bin/node");
  const packageJson = join(dirname(claudePath), "..", "package.json");
  const claudeVersion = existsSync(packageJson) ? (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version : execFileSync(claudePath, ["--version"], { encoding: "utf8" }).split(" ")[0]!.trim();
  const nodeVersion = execFileSync(nodePath, ["--version"], { encoding: "utf8" }).trim();
  return { claude: { path: claudePath, version: claudeVersion }, node: { path: nodePath, version: nodeVersion } };
}

/** Follows symbolic links as the container would see them: absolute targets are inside `rootfs`. */
export function resolveInRoot(rootfs: string, path: string): string {
  let current = join(rootfs, path);
  for (let hops = 0; hops < 32; hops++) {
    const stat = lstatSync(current, { throwIfNoEntry: false });
    if (!stat) throw new Error(`the agent image has no ${relativeInRoot(rootfs, current)} (from ${path})`);
    if (!stat.isSymbolicLink()) return current;
    const target = readlinkSync(current);
    current = isAbsolute(target) ? join(rootfs, target) : resolve(dirname(current), target);
    if (relative(rootfs, current).startsWith("..")) throw new Error(`${path} in the agent image points outside it (${target})`);
  }
  throw new Error(`${path} in the agent image: too many symbolic links`);
}

/** OCI whiteouts: `.wh.NAME` deletes NAME of a lower layer; `.wh..wh..opq` empties its directory's lower content. */
function applyWhiteouts(root: string): void {
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.name === ".wh..wh..opq") {
        // Unpacked over the lower layers already: what this layer added cannot be told apart; drop the marker.
        rmSync(path, { force: true });
      } else if (entry.name.startsWith(".wh.")) {
        rmSync(join(directory, entry.name.slice(".wh.".length)), { recursive: true, force: true });
        rmSync(path, { force: true });
      } else if (entry.isDirectory() && existsSync(path)) {
        // (A whiteout earlier in this listing may have removed it.)
        walk(path);
      }
    }
  };
  walk(root);
}

function readMember(archive: string, member: string): string {
  return execFileSync("tar", ["-xOf", archive, member], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

function blobPath(digest: string): string {
  const [algorithm, hex] = digest.split(":");
  if (!algorithm || !hex || !/^[a-f0-9]+$/.test(hex)) throw new Error(`not an OCI digest: ${digest}`);
  return `blobs/${algorithm}/${hex}`;
}

function relativeInRoot(rootfs: string, path: string): string {
  return `/${relative(rootfs, path)}`;
}

/** The image's executables when `CLAUDE_K8S_LAB_AGENT_IMAGE_ARCHIVE` names an archive; undefined when it is unset. */
export function executablesFromArchiveVariable(log: (line: string) => void = (line) => console.error(`[lab agent image] ${line}`)): { claude: AgentExecutable; node: AgentExecutable } | undefined {
  const archive = process.env[agentImageArchiveVariable];
  if (!archive) return undefined;
  return imageExecutables(unpackOciArchive(resolve(archive), log));
}
