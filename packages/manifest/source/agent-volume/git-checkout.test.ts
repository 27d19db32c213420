import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCheckoutContainer, CHECKOUT_LOG_PREFIX, checkGitRef, checkRepositoryUrl } from "./git-checkout.ts";

const security = { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" }, readOnlyRootFilesystem: false };

function container(plan: { repoUrl: string; repoRef?: string; branchName?: string; dir: string }, credentialsSecret?: string) {
  return buildCheckoutContainer({
    plan,
    image: "agent:1",
    imagePullPolicy: "IfNotPresent",
    home: "/paperclip/home",
    volumeMount: { name: "data", mountPath: "/paperclip" },
    ...(credentialsSecret ? { credentialsSecret } : {}),
    resources: { requests: {}, limits: {} },
    securityContext: security as never,
  });
}

describe("checkRepositoryUrl and checkGitRef", () => {
  it("accepts the URL forms git clones over the network", () => {
    for (const url of ["https://git.example.com/acme/app.git", "http://10.0.0.1:8080/r", "git://host/r.git", "ssh://git@host/r", "git@github.com:acme/app.git"]) {
      expect(checkRepositoryUrl(url)).toBe(url);
    }
  });

  it("refuses what would run a command, read a local path, or put a password in the spec", () => {
    for (const url of ["ext::sh -c touch% /tmp/x", "--upload-pack=touch /tmp/x", "/srv/repo", "file:///etc", "https://user:token@host/r.git", ""]) {
      expect(() => checkRepositoryUrl(url), url).toThrow(expect.objectContaining({ code: "k8s_git_checkout_failed" }));
    }
  });

  it("accepts only refs that cannot be taken for an option", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (ref) => {
        let accepted: string | undefined;
        try {
          accepted = checkGitRef("ref", ref);
        } catch {
          return;
        }
        expect(accepted.startsWith("-")).toBe(false);
        expect(accepted).not.toMatch(/\s|\.\.|\/\/|\\\\|~|\^|:|\?|\*|\[/);
      }),
    );
    expect(checkGitRef("ref", "feature/pap-7")).toBe("feature/pap-7");
    expect(() => checkGitRef("ref", "--force")).toThrow(/not a git branch/);
  });
});

describe("buildCheckoutContainer", () => {
  it("passes credentials only by Secret reference, and every value escaped from the kubelet's $(...) expansion", () => {
    const spec = container({ repoUrl: "https://git.example.com/a$(HOME).git", repoRef: "main", dir: "/paperclip/projects/a" }, "git-credentials");
    expect(spec.env.find((entry) => entry.name === "GIT_PASSWORD")).toEqual({ name: "GIT_PASSWORD", valueFrom: { secretKeyRef: { name: "git-credentials", key: "password" } } });
    expect(spec.env.find((entry) => entry.name === "CK_URL")).toEqual({ name: "CK_URL", value: "https://git.example.com/a$$(HOME).git" });
    expect(JSON.stringify(spec)).not.toMatch(/password"?\s*:\s*"[^"]/i);
  });
});

/** Runs the container's script here, as the kubelet would: $$ back to $, env as given. */
function runCheckout(plan: { repoUrl: string; repoRef?: string; branchName?: string; dir: string }, home: string) {
  const spec = container({ ...plan, repoUrl: "https://placeholder.invalid/r.git" });
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  for (const entry of spec.env) if ("value" in entry) env[entry.name] = entry.value.replaceAll("$$", "$");
  env.CK_URL = plan.repoUrl; // a local repository stands in for the server here
  env.HOME = home;
  const script = spec.command[2]!.replaceAll("$$", "$");
  return spawnSync("/bin/sh", ["-c", script], { env, encoding: "utf8" });
}

describe("the checkout script (run here against a local repository)", () => {
  const root = mkdtempSync(path.join(tmpdir(), "checkout-"));
  const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@e", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" }).trim();
  const origin = path.join(root, "origin");
  execFileSync("mkdir", ["-p", origin]);
  git(origin, "init", "-q");
  writeFileSync(path.join(origin, "README.md"), "one\n");
  git(origin, "add", ".");
  git(origin, "commit", "-qm", "one");
  git(origin, "branch", "release");
  writeFileSync(path.join(origin, "README.md"), "two\n");
  git(origin, "commit", "-qam", "two");

  it("clones at the ref, on a branch of that name that tracks the remote", () => {
    const dir = path.join(root, "vol1/projects/app");
    const result = runCheckout({ repoUrl: origin, repoRef: "release", dir }, path.join(root, "vol1/home"));
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${CHECKOUT_LOG_PREFIX} cloned`);
    expect(git(dir, "rev-parse", "--abbrev-ref", "HEAD")).toBe("release");
    expect(git(dir, "rev-parse", "--abbrev-ref", "@{upstream}")).toBe("origin/release");
  });

  it("starts Paperclip's work branch from the ref, and on a later run only fetches, keeping the agent's changes", () => {
    const dir = path.join(root, "vol2/projects/app");
    const plan = { repoUrl: origin, repoRef: "main", branchName: "pap-7", dir };
    expect(runCheckout(plan, path.join(root, "vol2/home")).status).toBe(0);
    expect(git(dir, "rev-parse", "--abbrev-ref", "HEAD")).toBe("pap-7");
    writeFileSync(path.join(dir, "work.txt"), "agent's change\n");
    const again = runCheckout(plan, path.join(root, "vol2/home"));
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain("fetched");
    expect(git(dir, "status", "--porcelain")).toContain("work.txt");
  });

  it("fails with one line naming a missing ref and the fix, leaving nothing half-made", () => {
    const dir = path.join(root, "vol3/projects/app");
    const result = runCheckout({ repoUrl: origin, repoRef: "no-such-branch", dir }, path.join(root, "vol3/home"));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/claude-k8s checkout: ref no-such-branch does not exist in .*fix: set the project workspace's ref/);
    expect(spawnSync("test", ["-e", dir]).status).not.toBe(0);
    expect(spawnSync("test", ["-e", `${dir}.partial`]).status).not.toBe(0);
  });

  it("fails naming the repository and the fix when it cannot be cloned", () => {
    const result = runCheckout({ repoUrl: path.join(root, "missing"), dir: path.join(root, "vol4/projects/app") }, path.join(root, "vol4/home"));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/claude-k8s checkout: cannot clone .*missing.*fix: check the repository URL/);
  });
});
