import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CREDENTIAL_NAMES, PROBE_PREFIX, parseProbeOutput, probeChecks, probeScript } from "./probe-script.ts";

describe("the probe script", () => {
  it("runs under /bin/sh and reports names of credentials, never their values", () => {
    const home = mkdtempSync(path.join(tmpdir(), "probe-home-"));
    try {
      const secret = "sk-ant-api03-probe-secret-value";
      const output = execFileSync("/bin/sh", ["-c", probeScript()], { cwd: home, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, ANTHROPIC_API_KEY: secret, PAPERCLIP_API_KEY: "token-value-123456", UNRELATED: "x" }, encoding: "utf8" });
      expect(output).not.toContain(secret);
      expect(output).not.toContain("token-value-123456");
      const report = parseProbeOutput(output.split("\n"));
      expect(report).toMatchObject({ done: true, home, workdir: home, homeWritable: true, workdirWritable: true, credentials: ["ANTHROPIC_API_KEY", "PAPERCLIP_API_KEY"] });
      expect(report.node).toMatch(/^v\d+/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("property: only names from the list pass as credentials, whatever the log says", () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 20 }), (values) => {
        const report = parseProbeOutput(values.map((value) => `${PROBE_PREFIX}credential=${value}`));
        for (const name of report.credentials) expect(CREDENTIAL_NAMES).toContain(name);
      }),
    );
  });
});

describe("probeChecks", () => {
  const image = "ghcr.io/x/agent:1";
  it("passes a pod with the tools, writable HOME and workspace and a model credential", () => {
    const checks = probeChecks({ uid: "1000", home: "/paperclip", workdir: "/paperclip/w", claude: "2.1.330 (Claude Code)", node: "v24.11.0", git: "git version 2.47", missing: [], homeWritable: true, workdirWritable: true, credentials: ["ANTHROPIC_API_KEY"], done: true }, { image, runAsUser: 1000 });
    expect(checks.filter((check) => check.level !== "info")).toEqual([]);
    expect(checks.map((check) => check.message)).toContain("credential variables the pod gets (names only): ANTHROPIC_API_KEY");
  });

  it("names the fix for each thing a pod lacks", () => {
    const checks = probeChecks({ uid: "0", home: "/root", workdir: "/w", node: "v24", missing: ["claude", "git"], homeWritable: false, workdirWritable: false, credentials: ["PAPERCLIP_API_KEY"], done: true }, { image, runAsUser: 1000 });
    const failing = checks.filter((check) => check.level !== "info");
    expect(failing.map((check) => check.code)).toEqual(["k8s_probe_claude_missing", "k8s_probe_git_missing", "k8s_probe_uid", "k8s_probe_home_readonly", "k8s_probe_workspace_readonly", "k8s_probe_no_credentials"]);
    for (const check of failing) expect(check.hint).toBeTruthy();
  });

  it("an unfinished probe is an error", () => {
    expect(probeChecks({ missing: [], credentials: [], done: false }, { image })[0]).toMatchObject({ code: "k8s_probe_incomplete", level: "error" });
  });
});
