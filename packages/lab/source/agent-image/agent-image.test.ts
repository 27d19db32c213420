import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AgentExecutable, AgentImageError, agentImageCatalog, stageAgentImage } from "./agent-image.ts";

// Staging with small stand-ins for claude and node, in scratch directories.

let scratch = "";
let claude: AgentExecutable;
let node: AgentExecutable;
const saved = { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, TMPDIR: process.env.TMPDIR, CLAUDE_K8S_LAB_AGENT_DIR: process.env.CLAUDE_K8S_LAB_AGENT_DIR };

function executable(path: string, content: string, mode = 0o755): string {
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "agent-image-test-"));
  chmodSync(scratch, 0o755);
  // The sources sit in a private "checkout", as in a clone under /root.
  const checkout = join(scratch, "private", "checkout");
  mkdirSync(checkout, { recursive: true });
  chmodSync(join(scratch, "private"), 0o700);
  claude = { path: executable(join(checkout, "claude.exe"), "#!/bin/sh\necho claude\n"), version: "2.1.330" };
  node = { path: executable(join(checkout, "node"), "#!/bin/sh\necho node\n"), version: "v24.21.0" };
  delete process.env.CLAUDE_K8S_LAB_AGENT_DIR;
});

afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("stageAgentImage", () => {
  it("stages claude and node out of a private checkout into a directory every parent of which others can search", () => {
    const root = join(scratch, "stage", "agent-image");
    const image = stageAgentImage({ root, claude, node });
    expect(image.image).toBe("lab.local/claude-code:2.1.330");
    expect(image.binDir.startsWith(`${root}/`)).toBe(true);
    for (const name of ["claude", "node"]) expect(statSync(join(image.binDir, name)).mode & 0o777).toBe(0o755);
    for (let dir = image.binDir; dir !== scratch; dir = join(dir, "..")) expect(statSync(dir).mode & 0o001, dir).toBe(0o001);
    // Hard links when the source already lets everyone run it: no copy of a 380 MB binary.
    expect(statSync(join(image.binDir, "claude")).ino).toBe(statSync(claude.path).ino);
  });

  it("stages once per content: the same sources reuse the image, a changed one gets a new one", () => {
    const root = join(scratch, "stage");
    const first = stageAgentImage({ root, claude, node });
    const staged = statSync(join(first.binDir, "node")).ino;
    expect(stageAgentImage({ root, claude, node }).binDir).toBe(first.binDir);
    expect(statSync(join(first.binDir, "node")).ino).toBe(staged);

    writeFileSync(node.path, "#!/bin/sh\necho a newer node\n");
    const second = stageAgentImage({ root, claude, node: { ...node, version: "v24.22.0" } });
    expect(second.binDir).not.toBe(first.binDir);
    expect(second.image).toBe(first.image);
  });

  it("restages an image a temp-dir cleaner emptied in part", () => {
    const root = join(scratch, "stage");
    const first = stageAgentImage({ root, claude, node });
    rmSync(join(first.binDir, "claude"));
    expect(stageAgentImage({ root, claude, node }).binDir).toBe(first.binDir);
    expect(existsSync(join(first.binDir, "claude"))).toBe(true);
  });

  it("copies a source only its owner may run, and makes the copy runnable by the agent", () => {
    chmodSync(claude.path, 0o700);
    const image = stageAgentImage({ root: join(scratch, "stage"), claude, node });
    const staged = statSync(join(image.binDir, "claude"));
    expect(staged.ino).not.toBe(statSync(claude.path).ino);
    expect(staged.mode & 0o777).toBe(0o755);
    expect(statSync(claude.path).mode & 0o777).toBe(0o700);
  });

  it.skipIf(process.getuid?.() !== 0)("copies a source the agent's uid owns: the agent cannot rewrite the staged CLI", () => {
    chownSync(claude.path, 1000, 1000);
    const image = stageAgentImage({ root: join(scratch, "stage"), claude, node });
    const staged = statSync(join(image.binDir, "claude"));
    expect(staged.ino).not.toBe(statSync(claude.path).ino);
    expect({ uid: staged.uid, mode: staged.mode & 0o777 }).toEqual({ uid: 0, mode: 0o755 });
  });

  it("refuses a directory below one uid 1000 cannot search, naming it, the uid and the fix, and creates nothing", () => {
    const root = join(scratch, "private", "agent-image");
    process.env.CLAUDE_K8S_LAB_AGENT_DIR = root;
    let error: unknown;
    try {
      stageAgentImage({ claude, node });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AgentImageError);
    const message = (error as Error).message;
    expect(message).toContain(`${join(scratch, "private")} (mode 0700, owner uid 0) does not let uid 1000 search it`);
    expect(message).toContain(`CLAUDE_K8S_LAB_AGENT_DIR=${root}`);
    expect(message).toMatch(/Fix: point CLAUDE_K8S_LAB_AGENT_DIR at a directory every parent of which uid 1000 can search/);
    expect(existsSync(root)).toBe(false);
    expect(statSync(join(scratch, "private")).mode & 0o777).toBe(0o700);
  });

  it("falls back to the temp dir when the lab's cache lies below a private home", () => {
    process.env.XDG_CACHE_HOME = join(scratch, "private", "cache");
    process.env.TMPDIR = join(scratch, "tmp");
    mkdirSync(process.env.TMPDIR, { mode: 0o1777 });
    chmodSync(process.env.TMPDIR, 0o1777);
    const image = stageAgentImage({ claude, node });
    expect(image.binDir.startsWith(join(scratch, "tmp", `claude-k8s-agent-image-${process.getuid?.()}`))).toBe(true);
    expect(existsSync(join(scratch, "private", "cache"))).toBe(false);
  });

  it("never stages into a directory others may write (someone else's trap in a shared temp dir)", () => {
    const root = join(scratch, "trap");
    mkdirSync(root);
    chmodSync(root, 0o777);
    expect(() => stageAgentImage({ root, claude, node })).toThrow(/is writable by others \(mode 777\)/);
    expect(readdirSync(root)).toEqual([]);
  });
});

describe("agentImageCatalog", () => {
  it("names the image by version and as latest, with the staged executables first on PATH", () => {
    const catalog = agentImageCatalog({ image: "lab.local/claude-code:2.1.330", binDir: "/stage/x/bin", claudeVersion: "2.1.330", nodeVersion: "v24.21.0" });
    const entry = { state: "present", env: { PATH: "/stage/x/bin:/usr/local/bin:/usr/bin:/bin" } };
    expect(catalog).toEqual({ "lab.local/claude-code:2.1.330": entry, "lab.local/claude-code:latest": entry });
  });
});
