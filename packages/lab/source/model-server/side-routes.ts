import { type MessagesRequestBody, systemText } from "./messages-request.ts";
import type { Step } from "./steps.ts";

/** Answers a side request (title generation, small/fast-model calls) without consuming a script step; undefined: not a side request. */
export type SideRoute = (request: MessagesRequestBody) => Step | undefined;

const test = (pattern: string | RegExp, value: string) => (typeof pattern === "string" ? value.includes(pattern) : pattern.test(value));

/**
 * A route for requests whose model and/or system prompt match (a string matches as a
 * substring). `toolless: true` also requires the request to offer no tools.
 */
export function sideRoute(match: { model?: string | RegExp; system?: string | RegExp; toolless?: boolean }, step: Step): SideRoute {
  if (match.model === undefined && match.system === undefined && match.toolless === undefined) {
    throw new Error("model-server: sideRoute needs at least one of model, system, toolless (else it would swallow every request)");
  }
  return (request) => {
    if (match.model !== undefined && !test(match.model, request.model ?? "")) return undefined;
    if (match.system !== undefined && !test(match.system, systemText(request))) return undefined;
    if (match.toolless !== undefined && match.toolless !== !(Array.isArray(request.tools) && request.tools.length > 0)) return undefined;
    return step;
  };
}

/** The first route that answers wins. */
export function firstSideRoute(...routes: SideRoute[]): SideRoute {
  return (request) => {
    for (const route of routes) {
      const step = route(request);
      if (step !== undefined) return step;
    }
    return undefined;
  };
}

/**
 * The CLI's side calls (2.1.330: WebFetch's page summary, session titles outside --print)
 * go to the small/fast model (haiku) and offer no tools. They must not eat the steps a test
 * scripted for the main loop, whose requests always carry the tool list.
 */
export const defaultSideRoute: SideRoute = sideRoute({ model: /haiku/i, toolless: true }, { kind: "text", text: "Scripted side answer." });
