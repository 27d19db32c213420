import type { RunManifests } from "@claude-k8s/manifest";
import { KubeApiError } from "../kube/kube-api-error.ts";
import type { KubeClient } from "../kube/kube-client.ts";

export interface DryRunFinding {
  kind: "Secret" | "Job";
  name: string;
  /** Undefined when the API server accepted it. */
  error?: { status: number; reason: string; message: string };
}

/**
 * Creates a run's Secrets and Job with `dryRun=All`: the API server runs validation,
 * admission (Pod Security, LimitRange, ResourceQuota, webhooks) and answers as for a real
 * create, and nothing is stored. What doctor uses to prove the run's objects would be
 * accepted without starting one.
 */
export async function dryRunCreate(client: KubeClient, manifests: RunManifests, signal?: AbortSignal): Promise<DryRunFinding[]> {
  const namespace = manifests.names.namespace;
  const objects: { kind: "Secret" | "Job"; path: string; body: { metadata: { name: string } } }[] = [
    ...manifests.secrets.map((secret) => ({ kind: "Secret" as const, path: `/api/v1/namespaces/${namespace}/secrets`, body: secret })),
    { kind: "Job" as const, path: `/apis/batch/v1/namespaces/${namespace}/jobs`, body: manifests.job },
  ];
  const findings: DryRunFinding[] = [];
  for (const object of objects) {
    try {
      await client.request({ method: "POST", path: object.path, query: { dryRun: "All" }, body: object.body, attempts: 2, ...(signal ? { signal } : {}) });
      findings.push({ kind: object.kind, name: object.body.metadata.name });
    } catch (error) {
      if (!(error instanceof KubeApiError)) throw error;
      findings.push({ kind: object.kind, name: object.body.metadata.name, error: { status: error.status, reason: error.reason, message: error.message } });
    }
  }
  return findings;
}
