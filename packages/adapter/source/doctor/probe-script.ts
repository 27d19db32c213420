import type { AdapterEnvironmentCheck } from "../paperclip-types.ts";

/**
 * What `claude-k8s doctor` runs in a probe pod (the run's own image, ServiceAccount, uid and
 * mounts) instead of claude: versions, HOME and the workspace writable, and which credential
 * variables the pod got. It prints names only, never a value: each candidate is tested
 * with `${NAME+set}`, so nothing from the environment is ever echoed.
 */
export const CREDENTIAL_NAMES = [
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_AUTH_TOKEN",
  "CLAUDE_CODE_OAUTH_TOKEN",
  "CLAUDE_CODE_USE_BEDROCK",
  "CLAUDE_CODE_USE_VERTEX",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_BEARER_TOKEN_BEDROCK",
  "AWS_PROFILE",
  "GOOGLE_APPLICATION_CREDENTIALS",
  "ANTHROPIC_VERTEX_PROJECT_ID",
  "ANTHROPIC_BASE_URL",
  "PAPERCLIP_API_KEY",
] as const;

export const PROBE_PREFIX = "claude-k8s-probe ";

/** A POSIX sh script; every line it prints that matters starts with PROBE_PREFIX. */
export function probeScript(): string {
  const p = PROBE_PREFIX;
  return [
    `echo "${p}uid=$(id -u)"`,
    `echo "${p}home=$HOME"`,
    `echo "${p}workdir=$(pwd)"`,
    `v=$(claude --version 2>&1 | head -n 1) && echo "${p}claude=$v" || echo "${p}claude-missing=$v"`,
    `v=$(node --version 2>&1 | head -n 1) && echo "${p}node=$v" || echo "${p}node-missing=$v"`,
    `v=$(git --version 2>&1 | head -n 1) && echo "${p}git=$v" || echo "${p}git-missing=$v"`,
    `t="$HOME/.claude-k8s-probe.$$"; if ( : > "$t" ) 2>/dev/null; then rm -f "$t"; echo "${p}home-writable=yes"; else echo "${p}home-writable=no"; fi`,
    `t="./.claude-k8s-probe.$$"; if ( : > "$t" ) 2>/dev/null; then rm -f "$t"; echo "${p}workdir-writable=yes"; else echo "${p}workdir-writable=no"; fi`,
    `for n in ${CREDENTIAL_NAMES.join(" ")}; do eval "s=\\\${$n+set}"; [ "$s" = set ] && echo "${p}credential=$n"; done`,
    `echo "${p}done=yes"`,
  ].join("\n");
}

export interface ProbeReport {
  uid?: string;
  home?: string;
  workdir?: string;
  claude?: string;
  node?: string;
  git?: string;
  missing: string[];
  homeWritable?: boolean;
  workdirWritable?: boolean;
  credentials: string[];
  done: boolean;
}

/** The probe's log lines as a report; lines without the prefix (shell noise) are ignored. */
export function parseProbeOutput(lines: readonly string[]): ProbeReport {
  const report: ProbeReport = { missing: [], credentials: [], done: false };
  for (const line of lines) {
    if (!line.startsWith(PROBE_PREFIX)) continue;
    const body = line.slice(PROBE_PREFIX.length);
    const equals = body.indexOf("=");
    if (equals < 0) continue;
    const key = body.slice(0, equals);
    const value = body.slice(equals + 1).trim();
    if (key === "uid" || key === "home" || key === "workdir" || key === "claude" || key === "node" || key === "git") report[key] = value;
    else if (key.endsWith("-missing")) report.missing.push(key.slice(0, -"-missing".length));
    else if (key === "home-writable") report.homeWritable = value === "yes";
    else if (key === "workdir-writable") report.workdirWritable = value === "yes";
    // Only names from our own list are taken: a value can never pass as a name.
    else if (key === "credential" && (CREDENTIAL_NAMES as readonly string[]).includes(value)) report.credentials.push(value);
    else if (key === "done") report.done = true;
  }
  return report;
}

/** The checks a probe's report makes, each failed one with its fix. */
export function probeChecks(report: ProbeReport, expected: { image: string; runAsUser?: number }): AdapterEnvironmentCheck[] {
  const checks: AdapterEnvironmentCheck[] = [];
  if (!report.done) {
    checks.push({ code: "k8s_probe_incomplete", level: "error", message: "the probe pod ended before it finished its checks", hint: "read the pod's log and Events in the detail above; the image needs /bin/sh" });
  }
  for (const tool of ["claude", "node", "git"] as const) {
    const version = report[tool];
    if (version) checks.push({ code: `k8s_probe_${tool}`, level: "info", message: `${tool} in the image: ${version}` });
    else if (report.missing.includes(tool) || report.done) {
      const needed = tool !== "git";
      checks.push({ code: `k8s_probe_${tool}_missing`, level: needed ? "error" : "warn", message: `${tool} is not on PATH in image ${expected.image}`, hint: needed ? `use an image with the claude CLI and node (the agent image's Containerfile), or fix PATH` : "install git in the image: agents use it for their workspace" });
    }
  }
  if (expected.runAsUser !== undefined && report.uid !== undefined && report.uid !== String(expected.runAsUser)) {
    checks.push({ code: "k8s_probe_uid", level: "warn", message: `the pod ran as uid ${report.uid}, not the configured runAsUser ${expected.runAsUser}`, hint: "check admission webhooks or Pod Security that change the pod's user" });
  } else if (report.uid !== undefined) checks.push({ code: "k8s_probe_uid", level: "info", message: `the pod runs as uid ${report.uid}` });
  if (report.homeWritable === false) checks.push({ code: "k8s_probe_home_readonly", level: "error", message: `HOME (${report.home ?? "?"}) is not writable by uid ${report.uid ?? "?"}: claude cannot keep its sessions`, hint: "give the uid write access to HOME (fsGroup on the volume, or a writable HOME in the image)" });
  else if (report.homeWritable) checks.push({ code: "k8s_probe_home_writable", level: "info", message: `HOME (${report.home}) is writable` });
  if (report.workdirWritable === false) checks.push({ code: "k8s_probe_workspace_readonly", level: "error", message: `the workspace ${report.workdir ?? "?"} is not writable by uid ${report.uid ?? "?"}`, hint: "check the workspace volume's ownership (runAsUser/runAsGroup/fsGroup) and its mount" });
  else if (report.workdirWritable) checks.push({ code: "k8s_probe_workspace_writable", level: "info", message: `the workspace ${report.workdir} is mounted and writable` });
  if (report.done) {
    const model = report.credentials.filter((name) => name !== "PAPERCLIP_API_KEY" && name !== "ANTHROPIC_BASE_URL");
    if (model.length === 0) checks.push({ code: "k8s_probe_no_credentials", level: "error", message: "the pod gets no model credentials (no ANTHROPIC_API_KEY, CLAUDE_CODE_OAUTH_TOKEN, Bedrock or Vertex settings)", hint: "pass them with env, envSecretKeyRefs or envFromSecrets, or inherit them (CLAUDE_K8S_INHERIT_ENV)" });
    else checks.push({ code: "k8s_probe_credentials", level: "info", message: `credential variables the pod gets (names only): ${report.credentials.join(", ")}` });
  }
  return checks;
}
