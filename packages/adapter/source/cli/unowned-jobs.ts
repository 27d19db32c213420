import { createKubeClient, sweepNamespace } from "@claude-k8s/k8s-runtime";
import { parseAdapterConfig } from "@claude-k8s/manifest";
import { resolveKubeTarget } from "../kube-access.ts";
import { instanceIdFromEnv } from "../instance-id.ts";
import type { AdapterEnvironmentCheck } from "../paperclip-types.ts";

/**
 * For `doctor`: running Jobs with claude-k8s's labels but no owner mark (the public
 * adapter's during a drop-in migration, or made by hand). Nothing deletes them
 * automatically; doctor names them so a person can decide. Reads only (a dry-run sweep).
 * No check when the config names no namespace or the cluster cannot be read: the
 * environment test reports those.
 */
export async function unownedJobChecks(rawConfig: Record<string, unknown>): Promise<AdapterEnvironmentCheck[]> {
  const parsed = parseAdapterConfig(rawConfig);
  if (!parsed.ok) return [];
  const target = resolveKubeTarget(parsed.config.kubeconfig);
  const namespace = parsed.config.namespace ?? target.kubeConfig.getContextObject(target.kubeConfig.getCurrentContext())?.namespace;
  if (!namespace) return [];
  const client = await createKubeClient(target.kubeConfig);
  try {
    const report = await sweepNamespace(client, namespace, { delete: false, instanceId: instanceIdFromEnv() });
    return report.plan.unowned.map((item) => ({
      code: "k8s_unowned_job",
      level: "warn" as const,
      message: `Job ${namespace}/${item.object.metadata?.name} runs with claude-k8s labels but no owner mark: never deleted automatically`,
      hint: `if it is abandoned, delete it yourself (kubectl delete job -n ${namespace} ${item.object.metadata?.name})`,
    }));
  } catch {
    return [];
  } finally {
    client.close();
  }
}
