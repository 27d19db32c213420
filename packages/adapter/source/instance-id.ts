import { DEFAULT_INSTANCE_ID } from "@claude-k8s/manifest";

/**
 * The Paperclip instance this server process belongs to: `CLAUDE_K8S_INSTANCE_ID` when the
 * operator sets it, else Paperclip's own `PAPERCLIP_INSTANCE_ID` (the name of its data
 * directory under PAPERCLIP_HOME/instances, stable across restarts and the same on every
 * replica of one instance), else "default". It labels every Job, Secret and Lease
 * (`paperclip.io/instance`) and is part of every selector, so two instances sharing a
 * namespace never sweep, admit against or adopt each other's runs. Two deployments that
 * both keep Paperclip's default instance name must set different CLAUDE_K8S_INSTANCE_ID.
 */
export function instanceIdFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.CLAUDE_K8S_INSTANCE_ID?.trim();
  if (explicit) return explicit;
  return env.PAPERCLIP_INSTANCE_ID?.trim() || DEFAULT_INSTANCE_ID;
}
