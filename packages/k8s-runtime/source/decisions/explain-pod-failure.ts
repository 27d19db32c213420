import type { ContainerStatus, PodLike } from "../kube-objects.ts";

/** The container an operator should look at first when a pod failed, and what it said. */
export interface FailingContainer {
  name: string;
  init: boolean;
  /** `terminated`: it ran and exited non-zero (or was killed); `waiting`: it never started. */
  state: "terminated" | "waiting";
  reason: string;
  exitCode?: number;
  signal?: number;
  message: string;
}

export interface PodFailureFacts {
  /** The adapter's own sentence: what failed, on which Job, and the next step. */
  headline: string;
  /** The pod as last seen, if the pod watch ever showed it. */
  pod?: PodLike;
  /** The pod's Events as one line each, oldest first. */
  events: readonly string[];
  /** The container log's last lines, oldest first (already redacted by the caller). */
  logLines: readonly string[];
}

/** How much of each part a failure message quotes: enough to diagnose, bounded for Paperclip's run record. */
export const EXPLAIN_LIMITS = { logLines: 30, events: 20, lineChars: 400, messageChars: 1000 } as const;

/** Waiting reasons that only say "not yet": a container in them has not failed. */
const NOT_YET = new Set(["ContainerCreating", "PodInitializing"]);

/**
 * The first container that explains a pod's failure: init containers before the main ones,
 * in the pod's order, because a failed init container is why the others never ran. A
 * container counts when it exited non-zero (its current state, else its last one, which a
 * restart leaves behind) or waits for a reason other than plain creation. Pure.
 */
export function firstFailingContainer(pod: PodLike): FailingContainer | undefined {
  const status = pod.status ?? {};
  const candidates: [ContainerStatus, boolean][] = [...(status.initContainerStatuses ?? []).map((c): [ContainerStatus, boolean] => [c, true]), ...(status.containerStatuses ?? []).map((c): [ContainerStatus, boolean] => [c, false])];
  for (const [container, init] of candidates) {
    const ended = [container.state?.terminated, container.lastState?.terminated].find((end) => end !== undefined && (end.exitCode !== 0 || end.reason === "OOMKilled"));
    if (ended) {
      return {
        name: container.name,
        init,
        state: "terminated",
        reason: ended.reason ?? "Error",
        exitCode: ended.exitCode,
        ...(ended.signal !== undefined ? { signal: ended.signal } : {}),
        message: ended.message ?? "",
      };
    }
    const waiting = container.state?.waiting;
    if (waiting?.reason && !NOT_YET.has(waiting.reason)) {
      return { name: container.name, init, state: "waiting", reason: waiting.reason, message: waiting.message ?? "" };
    }
  }
  return undefined;
}

/**
 * A pod-level failure as one message an operator can act on without kubectl: the headline,
 * the first failing container (reason, exit code, message), the pod's own reason, its
 * Events and the log's last lines. Every part is bounded; empty parts are left out. Pure:
 * the caller redacts secret values from the result (a termination message is log output).
 */
export function explainPodFailure(facts: PodFailureFacts): string {
  const parts = [facts.headline];
  const failing = facts.pod ? firstFailingContainer(facts.pod) : undefined;
  if (failing) parts.push(describeContainer(failing, facts.logLines.length > 0));
  const podReason = facts.pod?.status?.reason;
  const podMessage = facts.pod?.status?.message;
  // An eviction's headline usually quotes the pod's message already.
  if ((podReason || podMessage) && !(podMessage && facts.headline.includes(podMessage))) parts.push(`pod: ${[podReason, podMessage && clip(oneLine(podMessage), EXPLAIN_LIMITS.messageChars)].filter(Boolean).join(": ")}`);
  const events = facts.events.slice(-EXPLAIN_LIMITS.events);
  if (events.length > 0) parts.push(`pod events (oldest first):\n${events.map((line) => `  ${clip(oneLine(line), EXPLAIN_LIMITS.lineChars)}`).join("\n")}`);
  const lines = facts.logLines.slice(-EXPLAIN_LIMITS.logLines);
  if (lines.length > 0) parts.push(`last ${lines.length} log line${lines.length === 1 ? "" : "s"}:\n${lines.map((line) => `  ${clip(oneLine(line), EXPLAIN_LIMITS.lineChars)}`).join("\n")}`);
  return parts.join("\n");
}

function describeContainer(container: FailingContainer, haveLog: boolean): string {
  const kind = container.init ? "init container" : "container";
  const exit = container.state === "terminated" ? ` (exit code ${container.exitCode}${container.signal !== undefined ? `, signal ${container.signal}` : ""})` : " (never started)";
  const head = `${kind} ${container.name}: ${container.reason}${exit}`;
  const message = container.message.trim();
  if (message === "") return head;
  const messageLines = message.split("\n");
  if (messageLines.length === 1) return `${head}: ${clip(message, EXPLAIN_LIMITS.messageChars)}`;
  // A multi-line message is the log's tail (FallbackToLogsOnError): quoted only when the log itself was lost.
  if (haveLog) return head;
  const tail = messageLines.slice(-10);
  return `${head}; its termination message ends:\n${tail.map((line) => `  ${clip(line, EXPLAIN_LIMITS.lineChars)}`).join("\n")}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ⏎ ");
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never split a surrogate pair: the message must stay valid UTF-16 (Paperclip stores it as text).
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}
