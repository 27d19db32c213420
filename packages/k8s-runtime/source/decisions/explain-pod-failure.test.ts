import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ContainerStatus, PodLike } from "../kube-objects.ts";
import { EXPLAIN_LIMITS, explainPodFailure, firstFailingContainer } from "./explain-pod-failure.ts";

const terminated = (name: string, exitCode: number, reason?: string, message?: string): ContainerStatus => ({ name, state: { terminated: { exitCode, ...(reason ? { reason } : {}), ...(message ? { message } : {}) } } });
const waiting = (name: string, reason: string, message?: string): ContainerStatus => ({ name, state: { waiting: { reason, ...(message ? { message } : {}) } } });
const pod = (status: PodLike["status"]): PodLike => ({ metadata: { name: "run-abc-x1" }, status });

describe("firstFailingContainer", () => {
  it("names a failed init container before the main container that never ran", () => {
    const failing = firstFailingContainer(pod({ initContainerStatuses: [terminated("setup", 0), terminated("copy-skills", 2, "Error", "cp: cannot stat")], containerStatuses: [waiting("claude", "PodInitializing")] }));
    expect(failing).toEqual({ name: "copy-skills", init: true, state: "terminated", reason: "Error", exitCode: 2, message: "cp: cannot stat" });
  });

  it("reports OOMKilled with its exit code", () => {
    expect(firstFailingContainer(pod({ containerStatuses: [terminated("claude", 137, "OOMKilled")] }))).toMatchObject({ name: "claude", reason: "OOMKilled", exitCode: 137 });
  });

  it("reads the last state when a restarted container waits again", () => {
    const status: ContainerStatus = { name: "claude", state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1, reason: "Error", message: "boom" } } };
    expect(firstFailingContainer(pod({ containerStatuses: [status] }))).toMatchObject({ state: "terminated", exitCode: 1, message: "boom" });
  });

  it("reports a container that never started with the kubelet's waiting reason", () => {
    expect(firstFailingContainer(pod({ containerStatuses: [waiting("claude", "ImagePullBackOff", 'Back-off pulling image "x:1"')] }))).toEqual({ name: "claude", init: false, state: "waiting", reason: "ImagePullBackOff", message: 'Back-off pulling image "x:1"' });
  });

  it("finds nothing in a pod that is only being created or ended well", () => {
    expect(firstFailingContainer(pod({ containerStatuses: [waiting("claude", "ContainerCreating")] }))).toBeUndefined();
    expect(firstFailingContainer(pod({ containerStatuses: [terminated("claude", 0, "Completed")] }))).toBeUndefined();
    expect(firstFailingContainer(pod({}))).toBeUndefined();
  });
});

describe("explainPodFailure", () => {
  it("puts the headline first, then the container, the pod's reason, the Events and the log's last lines", () => {
    const message = explainPodFailure({
      headline: "Job ns/run-abc: claude was killed for exceeding the container's memory limit (OOMKilled)",
      pod: pod({ reason: "Evicted", message: "The node was low on resource: memory.", containerStatuses: [terminated("claude", 137, "OOMKilled")] }),
      events: ["event Scheduled: assigned ns/run-abc-x1 to node-1", "warning OOMKilling: Memory cgroup out of memory"],
      logLines: ['{"type":"system","subtype":"init"}', "last words"],
    });
    expect(message.split("\n")).toEqual([
      "Job ns/run-abc: claude was killed for exceeding the container's memory limit (OOMKilled)",
      "container claude: OOMKilled (exit code 137)",
      "pod: Evicted: The node was low on resource: memory.",
      "pod events (oldest first):",
      "  event Scheduled: assigned ns/run-abc-x1 to node-1",
      "  warning OOMKilling: Memory cgroup out of memory",
      "last 2 log lines:",
      '  {"type":"system","subtype":"init"}',
      "  last words",
    ]);
  });

  it("says a container never started, with the kubelet's message", () => {
    const message = explainPodFailure({ headline: "h", pod: pod({ containerStatuses: [waiting("claude", "CreateContainerConfigError", 'couldn\'t find key env.TOKEN in Secret ns/run-abc')] }), events: [], logLines: [] });
    expect(message).toBe("h\ncontainer claude: CreateContainerConfigError (never started): couldn't find key env.TOKEN in Secret ns/run-abc");
  });

  it("quotes a multi-line termination message (the log's tail) only when the log itself was lost", () => {
    const status = { containerStatuses: [terminated("claude", 1, "Error", "line 1\nline 2\nError: fatal")] };
    expect(explainPodFailure({ headline: "h", pod: pod(status), events: [], logLines: [] })).toBe("h\ncontainer claude: Error (exit code 1); its termination message ends:\n  line 1\n  line 2\n  Error: fatal");
    expect(explainPodFailure({ headline: "h", pod: pod(status), events: [], logLines: ["Error: fatal"] })).toBe("h\ncontainer claude: Error (exit code 1)\nlast 1 log line:\n  Error: fatal");
  });

  it("does not repeat a pod message the headline already quotes", () => {
    const message = explainPodFailure({ headline: "Job ns/j: The node was low on resource: memory.", pod: pod({ reason: "Evicted", message: "The node was low on resource: memory." }), events: [], logLines: [] });
    expect(message).toBe("Job ns/j: The node was low on resource: memory.");
  });

  it("is the headline alone when nothing else is known", () => {
    expect(explainPodFailure({ headline: "Job ns/j was deleted", events: [], logLines: [] })).toBe("Job ns/j was deleted");
  });

  const text = fc.string({ unit: "grapheme", maxLength: 1200 });
  const status = fc.record({
    reason: fc.option(fc.constantFrom("Evicted", "DeadlineExceeded"), { nil: undefined }),
    message: fc.option(text, { nil: undefined }),
    containerStatuses: fc.array(
      fc.oneof(
        fc.record({ name: fc.constantFrom("claude", "sidecar"), state: fc.record({ terminated: fc.record({ exitCode: fc.integer({ min: 0, max: 255 }), reason: fc.option(fc.constantFrom("Error", "OOMKilled"), { nil: undefined }), message: fc.option(text, { nil: undefined }) }) }) }),
        fc.record({ name: fc.constantFrom("claude", "sidecar"), state: fc.record({ waiting: fc.record({ reason: fc.constantFrom("ImagePullBackOff", "ContainerCreating", "ErrImagePull"), message: fc.option(text, { nil: undefined }) }) }) }),
      ),
      { maxLength: 3 },
    ),
  });
  const facts = fc.record({ headline: fc.string({ minLength: 1, maxLength: 80 }).filter((h) => !h.includes("\n")), status: fc.option(status, { nil: undefined }), events: fc.array(text, { maxLength: 40 }), logLines: fc.array(text, { maxLength: 80 }) });

  it("property: headline first, every quoted line bounded, at most 30 log lines and 20 Events, the newest log line always quoted", () => {
    fc.assert(
      fc.property(facts, ({ headline, status: podStatus, events, logLines }) => {
        const message = explainPodFailure({ headline, ...(podStatus ? { pod: pod(podStatus) } : {}), events, logLines });
        const lines = message.split("\n");
        expect(lines[0]).toBe(headline);
        // The container and pod lines quote a message up to messageChars; every other line up to lineChars.
        for (const line of lines.slice(1)) expect(line.length).toBeLessThanOrEqual(EXPLAIN_LIMITS.messageChars + 200);
        const logHeader = lines.findIndex((line) => /^last \d+ log lines?:$/.test(line));
        if (logLines.length === 0) expect(logHeader).toBe(-1);
        else {
          const quoted = lines.slice(logHeader + 1);
          expect(quoted.length).toBe(Math.min(logLines.length, EXPLAIN_LIMITS.logLines));
          const newest = (logLines.at(-1) ?? "").replace(/\s*\n\s*/g, " ⏎ ");
          const last = quoted.at(-1) ?? "";
          expect(last.startsWith("  ")).toBe(true);
          expect(newest.startsWith(last.slice(2).replace(/…$/, ""))).toBe(true);
        }
        const eventHeader = lines.indexOf("pod events (oldest first):");
        if (events.length === 0) expect(eventHeader).toBe(-1);
        else expect((logHeader === -1 ? lines.length : logHeader) - eventHeader - 1).toBe(Math.min(events.length, EXPLAIN_LIMITS.events));
        // Never a lone surrogate from clipping.
        expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(message)).toBe(false);
      }),
    );
  });

  it("property: the first failing container's reason and exit code are always named", () => {
    fc.assert(
      fc.property(status, (podStatus) => {
        const failing = firstFailingContainer(pod(podStatus));
        const message = explainPodFailure({ headline: "h", pod: pod(podStatus), events: [], logLines: [] });
        if (!failing) return;
        expect(message).toContain(`container ${failing.name}: ${failing.reason}`);
        if (failing.state === "terminated") expect(message).toContain(`(exit code ${failing.exitCode})`);
      }),
    );
  });
});
