// Test utilities: everything an agent needs to run in the lab with the real Claude Code CLI:
// a namespace with Pod Security "restricted", the adapter's least-privilege ServiceAccount,
// the lab's agent image (the real `claude` and node, staged where the pod's uid 1000 reaches
// them wherever the checkout is), and the adapter config that points it all at a scripted
// model server.
import type { ModelServer } from "@claude-k8s/lab/source/model-server/index.ts";
import { createTestNamespace, labAgentImage } from "@claude-k8s/lab/source/test-support/lab-client.ts";
import { afterAll, beforeAll } from "vitest";
import { closeRuntimes } from "../kube-access.ts";
import { serviceAccountKubeconfig } from "./lab-service-account.ts";

export interface LabAgent {
  readonly namespace: string;
  readonly kubeconfig: string;
  /** The adapter config for a run against `model`; `extra` keys win. */
  config(model: ModelServer, extra?: Record<string, unknown>): Record<string, unknown>;
}

/** Adds an entry to one of the operator's allow lists in this process's environment. */
export function allowInOperatorPolicy(variable: string, entry: string): void {
  const entries = (process.env[variable] ?? "").split(",").filter((item) => item.trim() !== "");
  if (!entries.includes(entry)) process.env[variable] = [...entries, entry].join(",");
}

export function useLabAgent(prefix: string): LabAgent {
  let ns: Awaited<ReturnType<typeof createTestNamespace>> | undefined;
  let kubeconfig = "";
  beforeAll(async () => {
    ns = await createTestNamespace(prefix, { "pod-security.kubernetes.io/enforce": "restricted" });
    kubeconfig = await serviceAccountKubeconfig(ns.name);
    // The operator of this "server" (the test process) lets agent config name the test's
    // namespace and ServiceAccount kubeconfig; everything else keeps the policy's defaults.
    allowInOperatorPolicy("CLAUDE_K8S_ALLOW_NAMESPACE", ns.name);
    allowInOperatorPolicy("CLAUDE_K8S_ALLOW_KUBECONFIG", kubeconfig);
  });
  afterAll(async () => {
    await closeRuntimes();
    await ns?.remove();
  });
  return {
    get namespace() {
      if (!ns) throw new Error("useLabAgent: read .namespace inside a test, after beforeAll");
      return ns.name;
    },
    get kubeconfig() {
      return kubeconfig;
    },
    config(model, extra = {}) {
      return {
        kubeconfig,
        namespace: ns?.name,
        image: labAgentImage(),
        model: "claude-sonnet-4-6",
        env: {
          ANTHROPIC_BASE_URL: model.url,
          ANTHROPIC_API_KEY: "sk-ant-scripted",
          CLAUDE_CODE_MAX_RETRIES: "1",
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
          DISABLE_AUTOUPDATER: "1",
          DISABLE_TELEMETRY: "1",
        },
        podStartTimeoutSec: 120,
        ...extra,
      };
    },
  };
}
