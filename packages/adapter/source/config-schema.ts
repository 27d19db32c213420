import { anthropicModels } from "./models.ts";

/** Paperclip's ConfigFieldSchema (server 2026.916.1). */
export interface ConfigFieldSchema {
  key: string;
  label: string;
  type: "text" | "select" | "toggle" | "number" | "textarea" | "combobox";
  options?: { label: string; value: string }[];
  default?: unknown;
  hint?: string;
  required?: boolean;
  group?: string;
}

/**
 * The form Paperclip renders for a claude_k8s agent. The keys, defaults and meanings are
 * the validated config's (@claude-k8s/manifest); everything not listed here can still be
 * set in the JSON config.
 */
export function getConfigSchema(): { fields: ConfigFieldSchema[] } {
  return {
    fields: [
      { key: "model", label: "Model", type: "combobox", options: anthropicModels.map((model) => ({ label: model.label, value: model.id })), hint: "unset: the CLI's default", group: "Claude" },
      { key: "effort", label: "Effort", type: "select", options: ["low", "medium", "high", "xhigh", "max"].map((value) => ({ label: value, value })), group: "Claude" },
      { key: "maxTurnsPerRun", label: "Max turns per run", type: "number", default: 0, hint: "0 = no limit", group: "Claude" },
      { key: "dangerouslySkipPermissions", label: "Skip permission prompts", type: "toggle", default: true, hint: "nobody answers prompts in a Job", group: "Claude" },
      { key: "instructionsFilePath", label: "Instructions file", type: "text", hint: "absolute path on the Paperclip server, inside the agent's workspace or managed instructions directory; passed on fresh sessions", group: "Claude" },
      { key: "promptTemplate", label: "Prompt template", type: "textarea", group: "Claude" },
      { key: "bootstrapPromptTemplate", label: "Bootstrap prompt (fresh sessions)", type: "textarea", group: "Claude" },
      { key: "extraArgs", label: "Extra claude arguments", type: "textarea", hint: 'JSON array, e.g. ["--verbose"]', group: "Claude" },
      { key: "enableRtk", label: "Trim large tool outputs", type: "toggle", default: false, hint: "hooks cut tool outputs, failing Bash commands included, before the model reads them", group: "Claude" },
      { key: "rtkMaxOutputBytes", label: "Tool output budget (bytes)", type: "number", default: 50000, group: "Claude" },
      { key: "namespace", label: "Namespace", type: "text", hint: "default: the Paperclip pod's namespace", group: "Kubernetes" },
      { key: "image", label: "Image", type: "text", hint: "an image with the claude CLI; default: the Paperclip pod's image", group: "Kubernetes" },
      { key: "imagePullPolicy", label: "Image pull policy", type: "select", options: ["IfNotPresent", "Always", "Never"].map((value) => ({ label: value, value })), default: "IfNotPresent", group: "Kubernetes" },
      { key: "serviceAccountName", label: "Service account", type: "text", group: "Kubernetes" },
      { key: "kubeconfig", label: "Kubeconfig path", type: "text", hint: "unset: the in-cluster identity", group: "Kubernetes" },
      { key: "resources", label: "Resources", type: "textarea", hint: '{"requests":{"cpu":"1000m","memory":"2Gi","ephemeral-storage":"1Gi"},"limits":{"cpu":"4000m","memory":"8Gi","ephemeral-storage":"20Gi"}}', group: "Kubernetes" },
      { key: "nodeSelector", label: "Node selector", type: "textarea", hint: "key=value lines or JSON", group: "Kubernetes" },
      { key: "tolerations", label: "Tolerations", type: "textarea", hint: "JSON array", group: "Kubernetes" },
      { key: "labels", label: "Extra labels", type: "textarea", hint: "key=value lines or JSON", group: "Kubernetes" },
      { key: "workspaceVolumeClaim", label: "Shared volume claim", type: "text", hint: "ReadWriteMany claim shared with the Paperclip server", group: "Storage" },
      { key: "workspaceMountPath", label: "Mount path in agent pods", type: "text", default: "/paperclip", group: "Storage" },
      { key: "agentVolumeStorageClass", label: "Agent volume storage class", type: "text", hint: "without a shared claim: the StorageClass of the agent's own volume; default: the cluster's default", group: "Storage" },
      { key: "agentVolumeSize", label: "Agent volume size", type: "text", default: "10Gi", hint: "without a shared claim: the size of the agent's own volume", group: "Storage" },
      { key: "gitCredentialsSecret", label: "Git credentials Secret", type: "text", hint: "without a shared claim: Secret (username, password/token) for cloning project repositories into the agent's volume", group: "Storage" },
      { key: "timeoutSec", label: "Timeout (s)", type: "number", default: 0, hint: "0 = none (the Job deadline below still applies)", group: "Lifecycle" },
      { key: "jobDeadlineSec", label: "Job deadline without a timeout (s)", type: "number", default: 21600, hint: "used when the timeout is 0; 0 = none", group: "Lifecycle" },
      { key: "graceSec", label: "Grace after the timeout (s)", type: "number", default: 60, group: "Lifecycle" },
      { key: "podScheduleTimeoutSec", label: "Schedule timeout (s)", type: "number", default: 120, group: "Lifecycle" },
      { key: "podStartTimeoutSec", label: "Start timeout (s)", type: "number", default: 600, hint: "image pull included", group: "Lifecycle" },
      { key: "ttlSecondsAfterFinished", label: "Job TTL after finishing (s)", type: "number", default: 300, group: "Lifecycle" },
      { key: "retainJobs", label: "Keep finished Jobs", type: "toggle", default: false, group: "Lifecycle" },
      { key: "reattachOrphanedJobs", label: "Adopt orphaned Jobs of the same task", type: "toggle", default: true, group: "Lifecycle" },
    ],
  };
}
