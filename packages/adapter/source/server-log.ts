import type { LogFields, LogLevel } from "@claude-k8s/k8s-runtime";

/**
 * The server's one logger: every line the adapter writes to the Paperclip server's own log
 * (not a run's transcript) goes through it, with its level and, when it is about a run, the
 * run id, agent and Job. `CLAUDE_K8S_LOG_FORMAT=json` makes each line one JSON object for
 * log pipelines; the default is text for people. Secret values the server knows of (a run's
 * credentials while it runs) are replaced in every line, whatever their source.
 */
export const LOG_FORMATS = ["text", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface ServerLogger {
  log(level: LogLevel, message: string, fields?: Omit<LogFields, "level">): void;
  /** The runtime's shape: a message with optional fields (level defaults to info). */
  runtimeLog: (message: string, fields?: LogFields) => void;
  /** Hides these values from every line until the returned function is called (a run's credentials, for its duration). */
  hideWhileRunning(values: Iterable<string>): () => void;
}

export const HIDDEN = "[redacted by claude-k8s]";
/** Shorter values would hit ordinary text by chance; no credential is that short. */
const MIN_HIDDEN_LENGTH = 8;

export function logFormatFromEnv(env: NodeJS.ProcessEnv = process.env): LogFormat {
  const raw = env.CLAUDE_K8S_LOG_FORMAT;
  if (raw === undefined || raw === "") return "text";
  if ((LOG_FORMATS as readonly string[]).includes(raw)) return raw as LogFormat;
  throw new Error(`CLAUDE_K8S_LOG_FORMAT must be one of ${LOG_FORMATS.join(", ")}, not ${JSON.stringify(raw)}`);
}

export function createServerLogger(options: { format: LogFormat; write: (line: string) => void; now?: () => Date }): ServerLogger {
  const now = options.now ?? (() => new Date());
  const hidden = new Map<string, number>();
  const hide = (text: string) => {
    let result = text;
    // Longest first, so a value that contains another is hidden whole.
    for (const value of [...hidden.keys()].sort((a, b) => b.length - a.length)) if (result.includes(value)) result = result.split(value).join(HIDDEN);
    return result;
  };
  const log = (level: LogLevel, message: string, fields: Omit<LogFields, "level"> = {}) => {
    // Hidden before formatting, so a JSON line stays valid JSON.
    const context = { ...(fields.runId ? { runId: hide(fields.runId) } : {}), ...(fields.agentId ? { agentId: hide(fields.agentId) } : {}), ...(fields.job ? { job: hide(fields.job) } : {}) };
    const text = hide(message);
    if (options.format === "json") {
      options.write(`${JSON.stringify({ time: now().toISOString(), level, component: "claude-k8s", ...context, msg: text })}\n`);
      return;
    }
    const tags = Object.entries(context).map(([key, value]) => ` ${key}=${value}`).join("");
    // One entry per line: a message with line breaks must not forge a second entry.
    options.write(`[claude-k8s] ${level}${tags}: ${text.replace(/\r?\n/g, " ⏎ ")}\n`);
  };
  return {
    log,
    runtimeLog: (message, fields = {}) => {
      const { level = "info", ...rest } = fields;
      log(level, message, rest);
    },
    hideWhileRunning(values) {
      const added: string[] = [];
      for (const value of values) {
        if (value.length < MIN_HIDDEN_LENGTH) continue;
        hidden.set(value, (hidden.get(value) ?? 0) + 1);
        added.push(value);
      }
      return () => {
        for (const value of added) {
          const count = (hidden.get(value) ?? 1) - 1;
          if (count <= 0) hidden.delete(value);
          else hidden.set(value, count);
        }
      };
    },
  };
}

let serverLogger: ServerLogger | undefined;

/** The process's logger, on stderr in the format the server's environment names (read once). */
export function serverLog(): ServerLogger {
  serverLogger ??= createServerLogger({ format: logFormatFromEnv(), write: (line) => void process.stderr.write(line) });
  return serverLogger;
}
