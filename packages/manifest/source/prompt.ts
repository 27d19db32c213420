import type { AdapterConfig } from "./config/types.ts";
import { utf8Length } from "./env/env-size.ts";
import { recordField, type RunContext, resumeSessionId, stringField } from "./run-context.ts";
import { renderTemplate } from "./template.ts";

export type PromptSectionName = "bootstrap" | "wake" | "taskMarkdown" | "sessionHandoff" | "heartbeat";

export interface PromptSection {
  name: PromptSectionName;
  text: string;
  chars: number;
  bytes: number;
}

export interface AssembledPrompt {
  /** The sections that were not empty, joined by blank lines. */
  prompt: string;
  /** Every section in order, empty ones included (chars 0), for `promptMetrics`. */
  sections: PromptSection[];
  chars: number;
  bytes: number;
  /** Whether this run resumes a session (which drops the bootstrap prompt). */
  resumed: boolean;
}

export interface AssemblePromptInput {
  config: Pick<AdapterConfig, "promptTemplate" | "bootstrapPromptTemplate">;
  run: RunContext;
}

/**
 * The prompt for one run, in the order the public adapter used: bootstrap prompt (fresh
 * sessions only), wake reason and comments, task markdown, session handoff, then the rendered
 * heartbeat template. When resuming with a wake prompt the template is skipped: the session
 * already holds it, and only the new wake matters ("resume delta").
 */
export function assemblePrompt(input: AssemblePromptInput): AssembledPrompt {
  const { run } = input;
  const context = run.context ?? undefined;
  const resumed = resumeSessionId(run) !== undefined;
  const data = templateData(run);
  const wake = wakePrompt(context);
  const texts: Record<PromptSectionName, string> = {
    bootstrap: resumed ? "" : renderTemplate(input.config.bootstrapPromptTemplate, data).trim(),
    wake,
    taskMarkdown: stringField(context, "paperclipTaskMarkdown") ?? "",
    sessionHandoff: stringField(context, "paperclipSessionHandoffMarkdown") ?? "",
    heartbeat: resumed && wake !== "" ? "" : renderTemplate(input.config.promptTemplate, data).trim(),
  };
  const order: PromptSectionName[] = ["bootstrap", "wake", "taskMarkdown", "sessionHandoff", "heartbeat"];
  const sections = order.map((name) => ({ name, text: texts[name], chars: texts[name].length, bytes: utf8Length(texts[name]) }));
  const prompt = sections
    .map((section) => section.text)
    .filter((text) => text !== "")
    .join("\n\n");
  return { prompt, sections, chars: prompt.length, bytes: utf8Length(prompt), resumed };
}

function templateData(run: RunContext): Record<string, unknown> {
  return {
    agentId: run.agent.id,
    companyId: run.agent.companyId,
    runId: run.runId,
    company: { id: run.agent.companyId },
    agent: run.agent,
    run: { id: run.runId, source: "on_demand" },
    context: run.context ?? {},
  };
}

/** `Wake reason: ...` and one `Comment: ...` per wake comment, as the public adapter wrote them. */
function wakePrompt(context: Record<string, unknown> | undefined): string {
  const lines: string[] = [];
  const reason = stringField(context, "wakeReason");
  if (reason) lines.push(`Wake reason: ${reason}`);
  const comments = recordField(context, "paperclipWake")?.comments;
  if (Array.isArray(comments)) {
    for (const comment of comments) {
      const body =
        typeof comment === "string" ? comment : stringField(typeof comment === "object" ? (comment as Record<string, unknown>) : undefined, "body");
      if (body && body.trim() !== "") lines.push(`Comment: ${body.trim()}`);
    }
  }
  return lines.join("\n");
}
