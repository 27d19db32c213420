import fc from "fast-check";
import { Job } from "kubernetes-models/batch/v1/Job";
import { Secret } from "kubernetes-models/v1/Secret";
import { describe, expect, it } from "vitest";
import { buildRunManifests, type RunManifests } from "./build-run-manifests.ts";
import { parseAdapterConfig } from "./config/parse-adapter-config.ts";
import { isPublicEnv } from "./env/sensitive.ts";
import { MAX_ENV_STRING_BYTES, MAX_ENV_TOTAL_BYTES, utf8Length } from "./env/env-size.ts";
import { ManifestError, ManifestErrorCode } from "./errors.ts";
import { isDns1123Label, isDns1123Subdomain, isEnvVarName, isLabelValue, isQualifiedName, isSecretKey } from "./k8s-formats.ts";
import { MAX_SECRET_BYTES } from "./secret.ts";
import {
  configCredentialsArbitrary,
  rawConfig,
  rtkHookArbitrary,
  runArbitrary,
  selfPodArbitrary,
  skillsArbitrary,
} from "./test-utils/arbitraries.ts";
import { decodeSecret } from "./test-utils/inspect.ts";
import { kubeletExpand } from "./test-utils/kubelet-expand.ts";
import { restrictedProfileViolations } from "./test-utils/restricted-profile.ts";

const CODES: readonly string[] = Object.values(ManifestErrorCode);

/** Every rule the API server (with PodSecurity enforce=restricted) and Linux exec apply, plus ours. */
function checkManifests(manifests: RunManifests, credentials: readonly string[]): void {
  const { job, names } = manifests;
  const [secret] = manifests.secrets;
  expect(manifests.secrets).toHaveLength(1);
  expect(() => new Job(job as never).validate()).not.toThrow();
  expect(() => new Secret(secret as never).validate()).not.toThrow();

  expect(isDns1123Label(names.job)).toBe(true);
  expect(names.job.length).toBeLessThanOrEqual(63);
  expect(isDns1123Subdomain(names.secret)).toBe(true);
  expect(isDns1123Label(names.namespace)).toBe(true);
  expect(job.metadata.name).toBe(names.job);
  expect(secret!.metadata.name).toBe(names.secret);

  for (const labels of [job.metadata.labels, job.spec.template.metadata.labels, secret!.metadata.labels]) {
    for (const [key, value] of Object.entries(labels)) {
      expect(isQualifiedName(key), `label key ${key}`).toBe(true);
      expect(isLabelValue(value), `label value ${value}`).toBe(true);
    }
  }
  for (const annotations of [job.metadata.annotations, job.spec.template.metadata.annotations]) {
    for (const key of Object.keys(annotations)) expect(isQualifiedName(key)).toBe(true);
  }

  const pod = job.spec.template.spec;
  expect(restrictedProfileViolations(pod)).toEqual([]);
  expect(pod.restartPolicy).toBe("Never");
  expect(job.spec.backoffLimit).toBe(0);

  const data = decodeSecret(secret!);
  const secretBytes = Object.values(data).reduce((sum, value) => sum + utf8Length(value), 0);
  expect(secretBytes).toBeLessThanOrEqual(MAX_SECRET_BYTES);
  for (const key of Object.keys(data)) expect(isSecretKey(key)).toBe(true);
  expect(data["prompt.txt"]).toBe(manifests.prompt.prompt);

  const [container] = pod.containers;
  const envNames = new Set<string>();
  let envTotal = 0;
  for (const arg of [...container.command, ...container.args]) expect(arg.includes("\0")).toBe(false);
  for (const entry of container.env) {
    expect(isEnvVarName(entry.name), `env name ${entry.name}`).toBe(true);
    expect(envNames.has(entry.name), `duplicate env ${entry.name}`).toBe(false);
    envNames.add(entry.name);
    let value: string | undefined;
    if ("value" in entry) value = kubeletExpand(entry.value);
    else {
      const ref = entry.valueFrom.secretKeyRef as { name?: string; key?: string } | undefined;
      if (ref?.name === names.secret) {
        expect(data[ref.key!], `secretKeyRef ${ref.key}`).toBeDefined();
        value = data[ref.key!];
      }
    }
    if (value !== undefined) {
      expect(value.includes("\0"), `NUL in ${entry.name}`).toBe(false);
      expect(utf8Length(`${entry.name}=${value}`) + 1).toBeLessThanOrEqual(MAX_ENV_STRING_BYTES);
      envTotal += utf8Length(`${entry.name}=${value}`) + 1;
    }
  }

  expect(envTotal).toBeLessThanOrEqual(MAX_ENV_TOTAL_BYTES);

  // What the process receives: the kubelet-expanded args are claude's argv exactly.
  expect([...container.command, ...container.args].map((part) => kubeletExpand(part)).slice(4)).toEqual(manifests.claudeArgv);
  if (manifests.workspaceMode === "agent-volume") {
    // The pod mounts its own agent's claim, and no other; an init container makes its directories.
    const claims = pod.volumes.flatMap((volume) => ("persistentVolumeClaim" in volume ? [volume.persistentVolumeClaim.claimName] : []));
    expect(claims).toEqual([manifests.agentVolume?.metadata.name]);
    expect(pod.initContainers?.[0]?.args.map((part) => kubeletExpand(part))).toContain(kubeletExpand((container.env.find((entry) => entry.name === "HOME") as { value: string }).value));
  }

  const volumes = new Set(pod.volumes.map((volume) => volume.name));
  const mountPaths = new Set<string>();
  for (const mount of container.volumeMounts) {
    expect(volumes.has(mount.name)).toBe(true);
    expect(mountPaths.has(mount.mountPath)).toBe(false);
    mountPaths.add(mount.mountPath);
  }
  expect(container.workingDir.startsWith("/")).toBe(true);

  const jobText = JSON.stringify(job);
  for (const credential of credentials) expect(jobText, "a credential is readable in the Job").not.toContain(credential);
}

describe("buildRunManifests over arbitrary configs and contexts", () => {
  it("produces manifests that pass every check, or rejects the input with a coded, explained error", () => {
    const outcomes = { rejectedConfig: 0, refusedBuild: 0, built: 0 };
    fc.assert(
      fc.property(
        rawConfig,
        configCredentialsArbitrary,
        runArbitrary,
        selfPodArbitrary,
        skillsArbitrary,
        rtkHookArbitrary,
        (raw, configCredentials, { run, credentials: runCredentials }, { selfPod, credentials: podCredentials }, skills, rtkHook) => {
          const rawWithSecrets = { ...raw, env: { ...(typeof raw.env === "object" && raw.env !== null ? raw.env : {}), ...configCredentials } };
          const parsed = parseAdapterConfig(rawWithSecrets);
          if (!parsed.ok) {
            expect(parsed.error.code).toBe("k8s_config_invalid");
            expect(parsed.issues.length).toBeGreaterThan(0);
            for (const issue of parsed.issues) {
              expect(issue.path).not.toBe("");
              expect(issue.expected).not.toBe("");
              expect(parsed.error.message).toContain(issue.path);
            }
            outcomes.rejectedConfig++;
            return;
          }
          let manifests: RunManifests;
          try {
            manifests = buildRunManifests({
              config: parsed.config,
              run,
              ...(selfPod === undefined ? {} : { selfPod }),
              skills,
              ...(rtkHook === undefined ? {} : { rtkHook }),
            });
          } catch (error) {
            expect(error).toBeInstanceOf(ManifestError);
            expect(CODES).toContain((error as ManifestError).code);
            expect((error as Error).message.length).toBeGreaterThan(30);
            outcomes.refusedBuild++;
            return;
          }
          checkManifests(manifests, [...runCredentials, ...podCredentials, ...Object.values(configCredentials)]);
          outcomes.built++;
        },
      ),
      { numRuns: 600 },
    );
    // Each path must really be exercised, or the property proves little.
    expect(outcomes.built).toBeGreaterThan(50);
    expect(outcomes.rejectedConfig).toBeGreaterThan(40);
    expect(outcomes.refusedBuild).toBeGreaterThan(10);
  });

  it("never fails with anything but a coded error, whatever shape Paperclip's context takes", () => {
    const contextKey = fc.constantFrom(
      "taskId",
      "issueId",
      "wakeReason",
      "wakeCommentId",
      "commentId",
      "approvalId",
      "approvalStatus",
      "issueIds",
      "paperclipWake",
      "paperclipTaskMarkdown",
      "paperclipSessionHandoffMarkdown",
      "paperclipWorkspace",
      "paperclipWorkspaces",
      "paperclipRuntimeServices",
      "agentHome",
    );
    const parsed = parseAdapterConfig({ namespace: "agents", image: "agent:1", workspaceVolumeClaim: "data", serverMountPath: "/" });
    if (!parsed.ok) throw parsed.error;
    fc.assert(
      fc.property(
        fc.dictionary(contextKey, fc.oneof(fc.anything(), fc.record({ cwd: fc.anything(), comments: fc.anything() })), { maxKeys: 6 }),
        fc.anything(),
        (context, sessionParams) => {
          const run = {
            runId: "r",
            agent: { id: "a", companyId: "c" },
            context,
            runtime: { sessionParams: sessionParams as Record<string, unknown> },
          };
          try {
            checkManifests(buildRunManifests({ config: parsed.config, run }), []);
          } catch (error) {
            if (!(error instanceof ManifestError)) throw error;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("builds successfully for most sensible inputs (the property is not vacuous)", () => {
    let built = 0;
    fc.assert(
      fc.property(runArbitrary, selfPodArbitrary, ({ run }, { selfPod }) => {
        const parsed = parseAdapterConfig({ namespace: "agents", image: "agent:1", workspaceVolumeClaim: "data", serverMountPath: "/" });
        // serverMountPath "/" puts every absolute server path on the volume: only sizes can fail.
        if (!parsed.ok) throw parsed.error;
        try {
          checkManifests(buildRunManifests({ config: parsed.config, run, ...(selfPod === undefined ? {} : { selfPod }) }), []);
          built++;
        } catch (error) {
          if (!(error instanceof ManifestError)) throw error;
        }
      }),
      { numRuns: 200 },
    );
    expect(built).toBeGreaterThan(100);
  });
});

describe("environment values in the rendered Job", () => {
  it("never shows a value from config or the server's env in the Job unless its name is known to be public (property)", () => {
    const name = fc.oneof(
      fc.constantFrom("SMTP_PASS", "GH_PAT", "STRIPE_SK", "WEBHOOK_URL", "MONGO_URI", "GIT_AUTHOR_NAME", "TZ", "HTTPS_PROXY", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY", "OTEL_TOKEN", "LANG"),
      fc.stringMatching(/^[A-Z][A-Z0-9_]{0,14}$/),
    );
    const value = fc.stringMatching(/^[0-9a-f]{20}$/).map((hex) => `v-${hex}`);
    const policyInherit = ["OTEL_*", "S*", "G*", "W*", "M*"];
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 6 }), fc.dictionary(name, value, { maxKeys: 6 }), fc.boolean(), (configEnv, serverEnv, proxyWithCredentials) => {
        const parsed = parseAdapterConfig({ namespace: "agents", image: "agent:1", env: configEnv });
        if (!parsed.ok) throw parsed.error;
        const inherited = Object.entries(serverEnv).map(([key, item]) => ({ name: key, value: proxyWithCredentials && key === "HTTPS_PROXY" ? `http://u:${item}@proxy` : item }));
        const manifests = buildRunManifests({
          config: parsed.config,
          run: { runId: "r", agent: { id: "a", companyId: "c" }, context: {} },
          selfPod: { namespace: "agents", image: "agent:1", env: inherited },
          operatorInheritEnv: policyInherit,
        });
        const job = JSON.stringify(manifests.job);
        const values = [...Object.entries(configEnv), ...inherited.map((variable) => [variable.name, variable.value] as const)];
        for (const [key, item] of values) {
          const literal = job.includes(item);
          if (literal) expect(isPublicEnv(key, item), `${key} is a literal in the Job`).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});
