import { DEFAULT_INSTANCE_ID, LabelKey, toLabelValue } from "@claude-k8s/manifest";

/**
 * The Paperclip instance a runtime context works for. Two instances that share a namespace
 * see only their own Jobs, pods, Secrets and Leases: every selector the runtime lists or
 * watches with carries `paperclip.io/instance`, so neither sweeps, admits against nor
 * adopts the other's runs.
 */
export function instanceLabel(instanceId: string | undefined): Record<string, string> {
  return { [LabelKey.instance]: toLabelValue(instanceId ?? DEFAULT_INSTANCE_ID) };
}
