// The model choices Paperclip offers for a claude_k8s agent. The same ids claude_local
// offers (agents move between the two adapters without editing their config), and the
// Bedrock inference-profile ids when the deployment runs Claude Code through Bedrock.

export interface AdapterModel {
  id: string;
  label: string;
}

export const anthropicModels: readonly AdapterModel[] = [
  { id: "claude-opus-4-8", label: "Claude Opus 4.8" },
  { id: "claude-sonnet-5", label: "Claude Sonnet 5" },
  { id: "claude-fable-5-1", label: "Claude Fable 5.1" },
  { id: "claude-fable-5", label: "Claude Fable 5" },
  { id: "claude-mythos-5", label: "Claude Mythos 5" },
  { id: "claude-opus-5", label: "Claude Opus 5" },
  { id: "claude-opus-4-7", label: "Claude Opus 4.7" },
  { id: "claude-opus-4-6", label: "Claude Opus 4.6" },
  { id: "claude-sonnet-4-6", label: "Claude Sonnet 4.6" },
  { id: "claude-sonnet-4-5", label: "Claude Sonnet 4.5" },
  { id: "claude-haiku-4-5", label: "Claude Haiku 4.5" },
];

export const bedrockModels: readonly AdapterModel[] = [
  { id: "us.anthropic.claude-opus-4-7", label: "Claude Opus 4.7 (Bedrock)" },
  { id: "us.anthropic.claude-opus-4-6-v1", label: "Claude Opus 4.6 (Bedrock)" },
  { id: "us.anthropic.claude-sonnet-4-6", label: "Claude Sonnet 4.6 (Bedrock)" },
  { id: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", label: "Claude Sonnet 4.5 (Bedrock)" },
  { id: "us.anthropic.claude-haiku-4-5-20251001-v1:0", label: "Claude Haiku 4.5 (Bedrock)" },
];

const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());

/** True when Claude Code would talk to Bedrock with this environment. */
export function usesBedrock(env: Record<string, string | undefined>): boolean {
  return truthy(env.CLAUDE_CODE_USE_BEDROCK);
}

/** True when Claude Code would talk to Vertex AI with this environment. */
export function usesVertex(env: Record<string, string | undefined>): boolean {
  return truthy(env.CLAUDE_CODE_USE_VERTEX);
}

/** The list for this environment (read on every call: the server's env can change between reloads). */
export function listModels(env: Record<string, string | undefined> = process.env): AdapterModel[] {
  return [...(usesBedrock(env) ? bedrockModels : anthropicModels)];
}
