import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createServerLogger, HIDDEN, logFormatFromEnv } from "./server-log.ts";

const capture = (format: "text" | "json") => {
  const lines: string[] = [];
  const logger = createServerLogger({ format, write: (line) => lines.push(line), now: () => new Date("2026-12-08T01:00:00Z") });
  return { logger, lines };
};

describe("server log", () => {
  it("text: level, run id, agent and Job on every line about a run", () => {
    const { logger, lines } = capture("text");
    logger.log("warn", "cleanup of Job j failed", { runId: "run-1", agentId: "agent-1", job: "agents/j" });
    logger.runtimeLog("watch restarted");
    expect(lines).toEqual(["[claude-k8s] warn runId=run-1 agentId=agent-1 job=agents/j: cleanup of Job j failed\n", "[claude-k8s] info: watch restarted\n"]);
  });

  it("json: one object per line with time, level, component, run, agent, Job and msg", () => {
    const { logger, lines } = capture("json");
    logger.runtimeLog("cleanup failed", { level: "error", runId: "run-1", agentId: "agent-1", job: "agents/j" });
    expect(lines.map((line) => JSON.parse(line))).toEqual([{ time: "2026-12-08T01:00:00.000Z", level: "error", component: "claude-k8s", runId: "run-1", agentId: "agent-1", job: "agents/j", msg: "cleanup failed" }]);
  });

  it("refuses an unknown format, naming the allowed values", () => {
    expect(logFormatFromEnv({})).toBe("text");
    expect(logFormatFromEnv({ CLAUDE_K8S_LOG_FORMAT: "json" })).toBe("json");
    expect(() => logFormatFromEnv({ CLAUDE_K8S_LOG_FORMAT: "logfmt" })).toThrow('CLAUDE_K8S_LOG_FORMAT must be one of text, json, not "logfmt"');
  });

  it("a message with line breaks stays one text line (no forged entries)", () => {
    const { logger, lines } = capture("text");
    logger.log("info", "a\n[claude-k8s] error: forged");
    expect(lines).toHaveLength(1);
    expect(lines[0]?.split("\n")).toHaveLength(2);
  });

  it("hides a run's secret values while it runs, and only then", () => {
    const { logger, lines } = capture("text");
    const secret = "sk-ant-api03-abcdefghijkl";
    const unhide = logger.hideWhileRunning([secret, "short"]);
    logger.log("error", `POST failed: body echoed ${secret}`);
    logger.log("info", "short words stay");
    unhide();
    logger.log("info", `later ${secret}`);
    expect(lines[0]).toBe(`[claude-k8s] error: POST failed: body echoed ${HIDDEN}\n`);
    expect(lines[1]).toContain("short words stay");
    expect(lines[2]).toContain(secret);
  });

  it("property: no hidden value ever reaches a line, text or JSON, whatever the message and fields, and JSON lines stay JSON", () => {
    // A marker prefix keeps the value from occurring by chance in the text around it or in the placeholder.
    const secretArb = fc.string({ minLength: 1, maxLength: 40 }).map((tail) => `SECRET-${tail}`);
    const around = fc.string({ maxLength: 30 });
    fc.assert(
      fc.property(fc.constantFrom("text" as const, "json" as const), secretArb, around, around, fc.option(around, { nil: undefined }), (format, secret, before, after, runId) => {
        const { logger, lines } = capture(format);
        const unhide = logger.hideWhileRunning([secret]);
        logger.log("info", `${before}${secret}${after}`, { ...(runId !== undefined ? { runId: `${runId}${secret}` } : {}), agentId: secret });
        unhide();
        const line = lines[0] ?? "";
        if (format === "json") {
          const parsed = JSON.parse(line) as Record<string, string>;
          for (const value of Object.values(parsed)) expect(value.includes(secret)).toBe(false);
        } else {
          expect(line.includes(secret)).toBe(false);
          expect(line.endsWith("\n") && line.indexOf("\n") === line.length - 1).toBe(true);
        }
      }),
    );
  });
});
