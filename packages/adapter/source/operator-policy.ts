import { type OperatorPolicy, parseOperatorPolicy } from "@claude-k8s/manifest";

/**
 * The operator's policy for agent config, from the Paperclip server's environment (read per
 * run, so a changed variable applies without a restart of the adapter's caches). See the
 * README's "Threat model" for each variable.
 */
export function policyFromEnv(env: NodeJS.ProcessEnv = process.env): OperatorPolicy {
  return parseOperatorPolicy(env);
}
