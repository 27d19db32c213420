import { type RunManifests, withOwnerJob } from "@claude-k8s/manifest";
import { OWNER_ANNOTATION } from "../decisions/decide-admission.ts";
import type { JobLike } from "../kube-objects.ts";
import { KubeApiError } from "../kube/kube-api-error.ts";
import type { KubeClient } from "../kube/kube-client.ts";
import { RunError } from "./run-errors.ts";

export type CreatedJob = JobLike & { metadata: { name: string; uid: string; namespace: string } };

export type LaunchResult =
  | { kind: "created"; job: CreatedJob }
  /** A Job of this name already exists (this run was launched before): the caller decides whether to adopt it. */
  | { kind: "exists"; job: CreatedJob };

export interface LaunchOptions {
  client: KubeClient;
  manifests: RunManifests;
  /** The adapter process launching it (recorded on the Job, read by admission elsewhere). */
  ownerId: string;
  /**
   * Checked before the Job is created (the Secrets made so far are taken back, and a RunError
   * `cancelled` thrown). No request is cut off mid-flight: a write cut off may still have
   * happened, and a Job nobody knows of would block the agent. Once the Job create is under
   * way, the launch completes and the caller deletes what it no longer wants.
   */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/**
 * Secret first, then the Job, then the Secret's ownerReference to the Job, so the Secret
 * exists before any pod can start and dies with the Job afterwards. A Secret left from an
 * earlier attempt of the same run is updated in place; a Job that already exists is handed
 * back for the caller to verify and adopt, never replaced.
 */
export async function launchRun({ client, manifests, ownerId, signal, log }: LaunchOptions): Promise<LaunchResult> {
  const namespace = manifests.names.namespace;
  const secretsPath = `/api/v1/namespaces/${namespace}/secrets`;
  const jobsPath = `/apis/batch/v1/namespaces/${namespace}/jobs`;

  const createdSecrets: string[] = [];
  for (const secret of manifests.secrets) {
    try {
      await client.request({ method: "POST", path: secretsPath, body: secret });
      createdSecrets.push(secret.metadata.name);
    } catch (error) {
      if (error instanceof KubeApiError && error.isConflict) {
        await replaceSecret(client, `${secretsPath}/${secret.metadata.name}`, secret);
        continue;
      }
      throw new RunError("k8s_secret_create_failed", `could not create Secret ${namespace}/${secret.metadata.name}: ${(error as Error).message}${hint(error, "secrets", "create")}`, { cause: error });
    }
  }

  // Nothing will own the Secrets we just made: take them back now.
  const takeBackSecrets = () => Promise.all(createdSecrets.map((name) => client.request({ method: "DELETE", path: `${secretsPath}/${name}`, attempts: 2 }).catch(() => undefined)));
  if (signal?.aborted) {
    await takeBackSecrets();
    throw new RunError("cancelled", `cancelled before Job ${namespace}/${manifests.names.job} was created`, { cause: signal.reason });
  }

  const job = {
    ...manifests.job,
    metadata: { ...manifests.job.metadata, annotations: { ...manifests.job.metadata.annotations, [OWNER_ANNOTATION]: ownerId } },
  };
  let created: CreatedJob;
  try {
    created = await client.request<CreatedJob>({ method: "POST", path: jobsPath, body: job });
  } catch (error) {
    if (error instanceof KubeApiError && error.isConflict) {
      const existing = await client.request<CreatedJob>({ method: "GET", path: `${jobsPath}/${manifests.names.job}` });
      return { kind: "exists", job: existing };
    }
    await takeBackSecrets();
    throw new RunError("k8s_job_create_failed", `could not create Job ${namespace}/${manifests.names.job}: ${(error as Error).message}${hint(error, "jobs", "create")}`, { cause: error });
  }

  for (const secret of manifests.secrets) {
    const owned = withOwnerJob(secret, { name: created.metadata.name, uid: created.metadata.uid });
    await client
      .request({
        method: "PATCH",
        path: `${secretsPath}/${secret.metadata.name}`,
        body: { metadata: { ownerReferences: owned.metadata.ownerReferences } },
        contentType: "application/merge-patch+json",
      })
      .catch((error: unknown) => {
        // Not fatal: cleanup deletes the Secret explicitly, and the sweep finds it if we die first.
        log?.(`could not give Secret ${secret.metadata.name} an ownerReference to Job ${created.metadata.name}: ${(error as Error).message}`);
      });
  }
  return { kind: "created", job: created };
}

async function replaceSecret(client: KubeClient, path: string, secret: RunManifests["secrets"][number]): Promise<void> {
  const existing = await client.request<{ metadata: { resourceVersion: string; ownerReferences?: unknown[] } }>({ method: "GET", path });
  await client.request({
    method: "PUT",
    path,
    body: { ...secret, metadata: { ...secret.metadata, resourceVersion: existing.metadata.resourceVersion, ...(existing.metadata.ownerReferences ? { ownerReferences: existing.metadata.ownerReferences } : {}) } },
  });
}

/** On a 403, say which permission is missing and where to grant it. */
function hint(error: unknown, resource: string, verb: string): string {
  if (error instanceof KubeApiError && error.isForbidden) {
    return ` (the adapter's identity needs "${verb}" on "${resource}" in this namespace: see the Role in the adapter's README)`;
  }
  return "";
}
