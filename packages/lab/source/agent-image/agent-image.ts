import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, chownSync, copyFileSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { labCacheRoot } from "../control-plane/paths.ts";
import type { ImageCatalog } from "../kubelet-sim/image-catalog.ts";
import { executablesFromArchiveVariable } from "./oci-archive-rootfs.ts";
import { type DirectoryStat, describeDenied, firstSearchDenied, type Identity } from "./search-access.ts";

// The lab's agent image. kubelet-sim has no images: a "present" image runs its command on
// the host. The agent (the Claude Code CLI, and node for the rtk hook) runs as uid 1000,
// which must be able to reach those executables. In the checkout it often cannot: a clone
// under /root or a private home directory sits below a 0700 directory. So the lab stages
// what the agent needs into a directory of its own that uid 1000 can reach, hard-linked
// (same filesystem) or copied, once per content, and names it in the image catalog as
// `lab.local/claude-code:<version>`, whose PATH starts there. The user's directories are
// never touched.

/** The uid and gid the lab's agent pods run as (the adapter's default runAsUser). */
export const agentIdentity: Identity = { uid: 1000, gids: [1000] };

export const agentImageRepository = "lab.local/claude-code";

/** The environment variable that picks the staging directory (no fallback then). */
export const agentDirVariable = "CLAUDE_K8S_LAB_AGENT_DIR";

export type AgentImage = {
  /** `lab.local/claude-code:<Claude Code version>`; `:latest` names it too. */
  image: string;
  /** The staged `claude` and `node`: first on the image's PATH. */
  binDir: string;
  claudeVersion: string;
  nodeVersion: string;
};

/** An executable the image carries: where it is now and which version it is. */
export type AgentExecutable = { path: string; version: string };

export type StageAgentImageOptions = {
  /** The staging directory; default `$CLAUDE_K8S_LAB_AGENT_DIR`, else the first reachable of the lab's cache and the temp dir. */
  root?: string;
  /** Who must reach it; default uid 1000, gid 1000. */
  agent?: Identity;
  /** What goes in; default the Claude Code CLI of the lab's devDependency and the node running this. */
  claude?: AgentExecutable;
  node?: AgentExecutable;
};

/** The agent cannot reach any place the lab may stage into: the message names the directory, the uid and the fix. */
export class AgentImageError extends Error {
  override name = "AgentImageError";
}

/** The Claude Code CLI of the lab's devDependency (a native executable). */
export function claudeExecutable(): AgentExecutable {
  const manifest = createRequire(import.meta.url).resolve("@anthropic-ai/claude-code/package.json");
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
  return { path: join(dirname(manifest), "bin", "claude.exe"), version };
}

export function nodeExecutable(): AgentExecutable {
  return { path: process.execPath, version: process.version };
}

/** Stages the agent image (reusing a complete earlier one) and returns where it is. */
export function stageAgentImage(options: StageAgentImageOptions = {}): AgentImage {
  const agent = options.agent ?? agentIdentity;
  // The image built from the Containerfile, when the environment names its archive.
  const fromImage = options.claude || options.node ? undefined : executablesFromArchiveVariable();
  const claude = options.claude ?? fromImage?.claude ?? claudeExecutable();
  const node = options.node ?? fromImage?.node ?? nodeExecutable();
  const explicit = options.root ?? process.env[agentDirVariable];
  const candidates = explicit ? [resolve(explicit)] : defaultRoots();
  const refusals: string[] = [];
  for (const root of candidates) {
    const refusal = prepareRoot(root, agent);
    if (refusal) {
      refusals.push(`${root}: ${refusal}`);
      continue;
    }
    const binDir = join(stageInto(root, claude, node), "bin");
    return { image: `${agentImageRepository}:${claude.version}`, binDir, claudeVersion: claude.version, nodeVersion: node.version };
  }
  const fix = explicit
    ? `point ${agentDirVariable} at a directory every parent of which uid ${agent.uid} can search (e.g. mkdir -m 0755 /var/tmp/claude-k8s-agent-image), or unset it to let the lab choose`
    : `set ${agentDirVariable} to a directory every parent of which uid ${agent.uid} can search (e.g. mkdir -m 0755 /var/tmp/claude-k8s-agent-image)`;
  throw new AgentImageError(
    `the lab's agent runs as uid ${agent.uid} and must reach its claude and node executables, but uid ${agent.uid} cannot reach ` +
      `${explicit ? `${agentDirVariable}=${explicit}` : "any place the lab stages them"}:\n  ${refusals.join("\n  ")}\nFix: ${fix}.`,
  );
}

/** Where the lab stages by default: its cache (shared by clones), else the temp dir when the cache lies below a private home. */
export function defaultRoots(): string[] {
  return [join(labCacheRoot(), "agent-image"), join(tmpdir(), `claude-k8s-agent-image-${process.getuid?.() ?? "user"}`)];
}

/** The image as kubelet-sim's catalog knows it: the staged executables first on PATH. */
export function agentImageCatalog(image: AgentImage): ImageCatalog {
  const entry = { state: "present" as const, env: { PATH: `${image.binDir}:/usr/local/bin:/usr/bin:/bin` } };
  return { [image.image]: entry, [`${agentImageRepository}:latest`]: entry };
}

/**
 * Runs the staged node as the agent, checking that it can also execute claude: the proof
 * the pods will see the same (ACLs, a noexec mount). Only as root (setpriv), as the lab runs.
 */
export function verifyAgentImage(image: AgentImage, agent: Identity = agentIdentity): void {
  // Not root: kubelet-sim refuses to start and says why; this check could not switch uid.
  if (process.getuid?.() !== 0) return;
  const check = "require('node:fs').accessSync(process.argv[1], require('node:fs').constants.X_OK)";
  try {
    execFileSync(
      "setpriv",
      [`--reuid=${agent.uid}`, `--regid=${agent.gids[0] ?? agent.uid}`, "--clear-groups", "--", join(image.binDir, "node"), "-e", check, join(image.binDir, "claude")],
      { stdio: ["ignore", "ignore", "pipe"], timeout: 30_000 },
    );
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? "").trim();
    throw new AgentImageError(
      `the lab's agent runs as uid ${agent.uid} but cannot run the staged executables in ${image.binDir}: ${stderr || (error as Error).message}\n` +
        `Fix: is that filesystem mounted noexec, or does an ACL deny uid ${agent.uid}? Set ${agentDirVariable} to a directory on an exec-mounted filesystem ` +
        `that uid ${agent.uid} can reach (e.g. mkdir -m 0755 /var/tmp/claude-k8s-agent-image).`,
    );
  }
}

/** Makes `root` exist as a directory the lab owns and the agent can reach; the reason when it cannot. */
function prepareRoot(root: string, agent: Identity): string | undefined {
  const denied = firstSearchDenied(root, agent, statIfExists);
  if (denied) return describeDenied(denied, agent);
  let created: string | undefined;
  try {
    created = mkdirSync(root, { recursive: true, mode: 0o755 });
  } catch (error) {
    return `cannot create it (${(error as Error).message})`;
  }
  // Only directories made here get their mode set (the umask may have narrowed it).
  if (created) for (const directory of chainFrom(created, root)) chmodSync(directory, 0o755);
  const stat = lstatSync(root);
  // In a shared temp dir someone else may have made it first: never stage into theirs.
  if (!stat.isDirectory()) return "exists and is not a directory";
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) return `belongs to uid ${stat.uid}, not to uid ${uid} that runs the lab`;
  if ((stat.mode & 0o022) !== 0) return `is writable by others (mode ${(stat.mode & 0o7777).toString(8)})`;
  const after = firstSearchDenied(root, agent, statIfExists);
  return after ? describeDenied(after, agent) : undefined;
}

function chainFrom(first: string, last: string): string[] {
  const chain = [last];
  for (let directory = last; directory !== first && dirname(directory) !== directory; ) {
    directory = dirname(directory);
    chain.unshift(directory);
  }
  return chain;
}

function statIfExists(path: string): (DirectoryStat & { size: number }) | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** `<root>/<key>` with bin/claude and bin/node; the key changes with the content, so each is staged once. */
function stageInto(root: string, claude: AgentExecutable, node: AgentExecutable): string {
  const sources = { claude: statSync(claude.path), node: statSync(node.path) };
  const identity = `${claude.version}:${sources.claude.size}:${sources.claude.mtimeMs}:${node.version}:${sources.node.size}:${sources.node.mtimeMs}`;
  const key = `claude-code-${claude.version}-node-${node.version}-${createHash("sha256").update(identity).digest("hex").slice(0, 12)}`;
  const target = join(root, key);
  if (isComplete(target, sources)) return target;
  // Emptied in part by a temp-dir cleaner: staged anew. (A complete one that a concurrent
  // lab renamed into place meanwhile is kept: the second rename below then finds it.)
  if (statIfExists(target) && !isComplete(target, sources)) rmSync(target, { recursive: true, force: true });
  // Built aside and renamed into place: a concurrent lab sees either nothing or all of it.
  const scratch = mkdtempSync(join(root, `.${key}-`));
  try {
    chmodSync(scratch, 0o755);
    mkdirSync(join(scratch, "bin"), { mode: 0o755 });
    chmodSync(join(scratch, "bin"), 0o755);
    place(claude.path, join(scratch, "bin", "claude"));
    place(node.path, join(scratch, "bin", "node"));
    writeFileSync(join(scratch, "image.json"), `${JSON.stringify({ claudeVersion: claude.version, nodeVersion: node.version }, null, 2)}\n`, { mode: 0o644 });
    try {
      renameSync(scratch, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== "ENOTEMPTY" && code !== "EEXIST") || !isComplete(target, sources)) throw error;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return target;
}

function isComplete(target: string, sources: { claude: { size: number }; node: { size: number } }): boolean {
  // A temp-dir cleaner may have removed some files of an old image: check what is there.
  const size = (name: string) => statIfExists(join(target, "bin", name))?.size;
  return statIfExists(join(target, "image.json")) !== undefined && size("claude") === sources.claude.size && size("node") === sources.node.size;
}

/**
 * A hard link when the file is the lab's own, writable by nobody else, and lets everyone
 * read and execute it (no space, no time); else a copy made so. A file the agent's uid
 * owns (a checkout of uid 1000) is copied: a link would let the agent rewrite the CLI of
 * later pods, and the checkout's file with it.
 */
function place(source: string, destination: string): void {
  const stat = statSync(source);
  if ((stat.mode & 0o005) === 0o005 && (stat.mode & 0o022) === 0 && stat.uid === process.getuid?.()) {
    try {
      linkSync(source, destination);
      return;
    } catch {
      // Another filesystem, or links refused: copy.
    }
  }
  copyFileSync(source, destination);
  // A copy made by root keeps the source's owner: make it the lab's.
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  if (uid !== undefined && gid !== undefined && (stat.uid !== uid || stat.gid !== gid)) chownSync(destination, uid, gid);
  chmodSync(destination, 0o755);
}
