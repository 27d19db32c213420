import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunManifests } from "@claude-k8s/manifest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prepareSharedDirectories } from "./shared-volume.ts";

let root = "";
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "shared-volume-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const manifests = (directories: { what: string; serverPath: string }[]) => ({ sharedDirectories: directories.map((directory) => ({ ...directory, podPath: "/x" })) }) as unknown as RunManifests;
const ids = { runAsUser: 1000, runAsGroup: 1000 };

describe("preparing the shared volume on the server", () => {
  it("makes the agent's HOME, private to the pod's user, below directories nobody can list", async () => {
    const home = path.join(root, ".claude-k8s/homes/agent-a");
    await prepareSharedDirectories(manifests([{ what: "the agent's HOME", serverPath: home }]), ids);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(root, ".claude-k8s/homes")).mode & 0o777).toBe(0o711);
    if (process.getuid?.() === 0) expect(statSync(home)).toMatchObject({ uid: 1000, gid: 1000 });
  });

  it("refuses a workspace that holds a Paperclip data directory deeper down, naming the marker not its content", async () => {
    const workspace = path.join(root, "data");
    mkdirSync(path.join(workspace, "paperclip/instances/default/secrets"), { recursive: true });
    writeFileSync(path.join(workspace, "paperclip/instances/default/secrets/master.key"), "the-key-itself");
    const home = path.join(root, ".claude-k8s/homes/agent-a");
    const run = prepareSharedDirectories(manifests([{ what: "the agent's HOME", serverPath: home }, { what: "workspace cwd", serverPath: path.join(workspace, "paperclip") }]), ids);
    await expect(run).rejects.toMatchObject({ code: "k8s_mount_forbidden" });
    await expect(run).rejects.toThrow(/instances\/default\/secrets\/master.key/);
    await expect(run).rejects.not.toThrow(/the-key-itself/);
  });

  it("leaves an ordinary workspace alone, and does nothing when the server does not mount the volume", async () => {
    const workspace = path.join(root, "instances/default/workspaces/agent-a");
    mkdirSync(path.join(workspace, "src"), { recursive: true });
    writeFileSync(path.join(workspace, ".env"), "A=1");
    await prepareSharedDirectories(manifests([{ what: "the agent's HOME", serverPath: path.join(root, ".claude-k8s/homes/agent-a") }, { what: "workspace cwd", serverPath: workspace }]), ids);
    await prepareSharedDirectories(manifests([{ what: "the agent's HOME", serverPath: "/nonexistent-volume/.claude-k8s/homes/agent-a" }]), ids);
  });
});
