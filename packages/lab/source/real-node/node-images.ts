import { createHash } from "node:crypto";
import { chmod, copyFile, mkdir, mkdtemp, rm, stat, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { labCacheRoot } from "../control-plane/paths.ts";
import { run } from "./exec.ts";
import { writeOciArchive, type ImageConfig } from "./oci-archive.ts";

// The images of the real node. No registry is reachable, so each one is a directory rootfs
// written as an OCI archive (cached outside the checkout, keyed by its inputs) and imported
// into containerd's k8s.io namespace with `ctr images import`.
//
// - lab.local/pause:1        the pod sandbox: our lab-pause program
// - lab.local/busybox:1      a static busybox with every applet, root and uid 1000 in /etc/passwd
//                            (also under the names the kubelet-sim-era tests use: noop, ticker, bench)
// - lab.local/claude-code:2  busybox plus the Claude Code CLI (the repo's pinned native
//                            build) at /usr/local/bin/claude with the glibc libraries it loads
//
// An image that is not here and whose registry does not answer: `missingImage` points at a
// loopback port with nothing listening, so the kubelet reports its real ErrImagePull.

export const sandboxImage = "lab.local/pause:1";
export const busyboxImage = "lab.local/busybox:1";
export const claudeCodeImage = "lab.local/claude-code:2";
export const missingImage = "127.0.0.1:1/lab/missing:1";
/** Where the Claude Code CLI is in `claudeCodeImage`. */
export const claudeInImage = "/usr/local/bin/claude";

const busyboxHost = process.env.CLAUDE_K8S_LAB_BUSYBOX ?? "/bin/busybox";
const formatVersion = "1";

type ImageRecipe = {
  reference: string;
  /** Files whose content decides the image (their size and mtime are hashed). */
  inputs: string[];
  config: ImageConfig;
  fill(rootfs: string): Promise<void>;
};

function claudeExecutable(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@anthropic-ai/claude-code/package.json")), "bin", "claude.exe");
}

async function busyboxRootfs(rootfs: string): Promise<void> {
  const kind = await run("file", ["-L", busyboxHost], "checking busybox").catch(() => "");
  if (kind && !kind.includes("statically linked")) {
    throw new Error(`lab node: ${busyboxHost} is not statically linked; the images need a static busybox (apt-get install busybox-static)`);
  }
  for (const dir of ["bin", "etc", "tmp", "home/claude", "workspace", "proc", "sys", "dev", "usr/local/bin", "root"]) {
    await mkdir(join(rootfs, dir), { recursive: true });
  }
  await chmod(join(rootfs, "tmp"), 0o1777);
  await copyFile(busyboxHost, join(rootfs, "bin", "busybox"));
  await chmod(join(rootfs, "bin", "busybox"), 0o755);
  const applets = (await run(busyboxHost, ["--list"], "listing busybox applets")).split("\n").filter((a) => /^[\w.[-]+$/.test(a));
  for (const applet of applets) {
    if (applet !== "busybox") await symlink("busybox", join(rootfs, "bin", applet));
  }
  await writeFile(join(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nclaude:x:1000:1000:claude:/home/claude:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
  await writeFile(join(rootfs, "etc", "group"), "root:x:0:\nclaude:x:1000:\nnogroup:x:65534:\n");
}

/** The shared libraries an executable loads (ldd), copied to the same paths in the rootfs. */
async function copyLibraries(executable: string, rootfs: string): Promise<void> {
  const out = await run("ldd", [executable], `listing the libraries of ${executable}`);
  const paths = [...out.matchAll(/(\/[^\s)]+)/g)].map((m) => m[1] as string);
  for (const path of new Set(paths)) {
    await mkdir(join(rootfs, dirname(path)), { recursive: true });
    await copyFile(path, join(rootfs, path)); // follows symlinks: the real library under the linked name
  }
}

const recipes: ImageRecipe[] = [
  {
    reference: sandboxImage,
    inputs: [],
    config: { entrypoint: ["/pause"] },
    async fill() {},
  },
  {
    reference: busyboxImage,
    inputs: [busyboxHost],
    config: { cmd: ["sh"] },
    fill: busyboxRootfs,
  },
  {
    reference: claudeCodeImage,
    inputs: [busyboxHost],
    config: { cmd: ["claude"], env: ["PATH=/usr/local/bin:/usr/bin:/bin"] },
    async fill(rootfs) {
      await busyboxRootfs(rootfs);
      await copyFile(claudeExecutable(), join(rootfs, claudeInImage));
      await chmod(join(rootfs, claudeInImage), 0o755);
      await copyLibraries(claudeExecutable(), rootfs);
    },
  },
];

export const nodeImageReferences = recipes.map((r) => r.reference);

async function cacheKey(recipe: ImageRecipe, extraInputs: string[]): Promise<string> {
  const hash = createHash("sha256").update(`${formatVersion}\n${recipe.reference}\n${JSON.stringify(recipe.config)}\n`);
  for (const input of [...recipe.inputs, ...extraInputs]) {
    const s = await stat(input);
    hash.update(`${input} ${s.size} ${s.mtimeMs}\n`);
  }
  return hash.digest("hex").slice(0, 16);
}

/** Builds (or finds cached) archives of every node image; returns their paths. */
export async function buildNodeImages(options: { pause: string; log?: (line: string) => void }): Promise<Array<{ reference: string; archive: string }>> {
  const dir = join(labCacheRoot(), "images");
  await mkdir(dir, { recursive: true });
  const archives: Array<{ reference: string; archive: string }> = [];
  for (const recipe of recipes) {
    const extra = recipe.reference === sandboxImage ? [options.pause] : recipe.reference === claudeCodeImage ? [claudeExecutable()] : [];
    const archive = join(dir, `${recipe.reference.replace(/[^\w.-]+/g, "_")}-${await cacheKey(recipe, extra)}.tar`);
    const exists = await stat(archive).then(
      () => true,
      () => false,
    );
    if (!exists) {
      const started = Date.now();
      const rootfs = await mkdtemp(join(dir, ".rootfs-"));
      try {
        if (recipe.reference === sandboxImage) {
          await copyFile(options.pause, join(rootfs, "pause"));
          await chmod(join(rootfs, "pause"), 0o755);
        }
        await recipe.fill(rootfs);
        const written = await writeOciArchive({ rootfs, reference: recipe.reference, config: recipe.config, out: archive });
        options.log?.(`image ${recipe.reference}: ${(written.bytes / 1e6).toFixed(0)} MB archive in ${Date.now() - started} ms`);
      } finally {
        await rm(rootfs, { recursive: true, force: true });
      }
    }
    archives.push({ reference: recipe.reference, archive });
  }
  return archives;
}

function claudeCodeVersion(): string {
  const require = createRequire(import.meta.url);
  return (require("@anthropic-ai/claude-code/package.json") as { version: string }).version;
}

/** Other names of the same images, as the suites written for kubelet-sim spell them. */
export function imageAliases(): Record<string, string[]> {
  return {
    [busyboxImage]: ["docker.io/library/busybox:lab", "lab.local/noop:1", "lab.local/ticker:1", "lab.local/bench:1"],
    [claudeCodeImage]: [`lab.local/claude-code:${claudeCodeVersion()}`],
  };
}

/** Imports the archives into containerd's k8s.io namespace (where the CRI looks). */
export async function importImages(ctr: string, socket: string, archives: Array<{ reference: string; archive: string }>): Promise<void> {
  const ctrIn = (args: string[], what: string) => run(ctr, ["--address", socket, "--namespace", "k8s.io", ...args], what, { timeoutMs: 300_000 });
  const aliases = imageAliases();
  for (const { reference, archive } of archives) {
    await ctrIn(["images", "import", "--platform", "linux/amd64", archive], `importing ${archive}`);
    for (const alias of aliases[reference] ?? []) await ctrIn(["images", "tag", "--force", reference, alias], `naming ${reference} also ${alias}`);
  }
}
