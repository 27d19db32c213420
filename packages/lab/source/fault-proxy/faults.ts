import type { RequestInfo } from "./request-info.ts";

/** Which requests a fault applies to; every given field must match. Empty: all requests. */
export type RequestMatch = {
  verb?: string | readonly string[];
  /** Plural resource as in the URL, optionally with the subresource: "pods", "pods/log", "jobs". */
  resource?: string | readonly string[];
  /** API group; "" is the core group. */
  group?: string;
  namespace?: string;
};

export type LatencyRule = {
  ms: number;
  match?: RequestMatch;
  /**
   * "request" (the default) holds the request back before it is forwarded; "stream" holds
   * back every chunk of a streamed answer (watch events, followed log lines) instead, in
   * order, also on streams already open: a watch that lags behind the API server.
   */
  on?: "request" | "stream";
};

export type ErrorRule = {
  /** HTTP status to answer with, e.g. 429, 500, 503. */
  status: number;
  /** The window: answer this way for `durationMs` from now ... */
  durationMs?: number;
  /** ... and/or for the next `count` matching requests. One of the two is required. */
  count?: number;
  /** Sent as Retry-After on 429 and 503 (seconds). Default 1. */
  retryAfterSeconds?: number;
  match?: RequestMatch;
};

type ActiveErrorRule = ErrorRule & { id: string; until: number; remaining: number };

const reasons: Record<number, string> = {
  429: "TooManyRequests",
  500: "InternalError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "Timeout",
};

const asList = (value: string | readonly string[] | undefined) =>
  value === undefined ? undefined : typeof value === "string" ? [value] : value;

export function matches(match: RequestMatch | undefined, info: RequestInfo): boolean {
  if (!match) return true;
  const verbs = asList(match.verb);
  if (verbs && !verbs.includes(info.verb)) return false;
  const resources = asList(match.resource);
  const withSub = info.subresource === "" ? info.resource : `${info.resource}/${info.subresource}`;
  if (resources && !resources.includes(info.resource) && !resources.includes(withSub)) return false;
  if (match.group !== undefined && match.group !== info.group) return false;
  if (match.namespace !== undefined && match.namespace !== info.namespace) return false;
  return true;
}

/** The injected error a request should get instead of reaching the API server. */
export type InjectedError = { status: number; headers: Record<string, string>; body: string };

/** The fault rules in force. Time is passed in so the rules stay testable without timers. */
export class FaultRules {
  #latency: Array<LatencyRule & { id: string }> = [];
  #errors: ActiveErrorRule[] = [];
  #nextId = 1;

  addLatency(rule: LatencyRule): string {
    if (!(rule.ms >= 0)) throw new Error(`fault proxy: latency ms must be >= 0, got ${rule.ms}`);
    if (rule.on !== undefined && rule.on !== "request" && rule.on !== "stream") throw new Error(`fault proxy: latency "on" must be "request" or "stream", got ${JSON.stringify(rule.on)}`);
    const id = `latency-${this.#nextId++}`;
    this.#latency.push({ ...rule, id });
    return id;
  }

  addErrors(rule: ErrorRule, now: number): string {
    if (!(rule.status >= 400 && rule.status <= 599)) {
      throw new Error(`fault proxy: error status must be 4xx or 5xx, got ${rule.status}`);
    }
    if (rule.durationMs === undefined && rule.count === undefined) {
      throw new Error("fault proxy: an error rule needs durationMs or count (or both), else it would never end");
    }
    const id = `errors-${this.#nextId++}`;
    this.#errors.push({
      ...rule,
      id,
      until: rule.durationMs === undefined ? Number.POSITIVE_INFINITY : now + rule.durationMs,
      remaining: rule.count ?? Number.POSITIVE_INFINITY,
    });
    return id;
  }

  clear(): void {
    this.#latency = [];
    this.#errors = [];
  }

  /** The delay for this request: the largest of the matching latency rules. */
  latencyFor(info: RequestInfo): number {
    let ms = 0;
    for (const rule of this.#latency) if ((rule.on ?? "request") === "request" && matches(rule.match, info)) ms = Math.max(ms, rule.ms);
    return ms;
  }

  /** The delay for each chunk of this request's streamed answer, now: the largest matching "stream" rule. */
  streamLatencyFor(info: RequestInfo): number {
    let ms = 0;
    for (const rule of this.#latency) if (rule.on === "stream" && matches(rule.match, info)) ms = Math.max(ms, rule.ms);
    return ms;
  }

  /** Consumes one use of the first matching, still active error rule. */
  errorFor(info: RequestInfo, now: number): InjectedError | undefined {
    this.#errors = this.#errors.filter((rule) => rule.until > now && rule.remaining > 0);
    const rule = this.#errors.find((candidate) => matches(candidate.match, info));
    if (!rule) return undefined;
    rule.remaining -= 1;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (rule.status === 429 || rule.status === 503) headers["retry-after"] = String(rule.retryAfterSeconds ?? 1);
    const status = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: `lab fault proxy: injected ${rule.status} (${rule.id})`,
      reason: reasons[rule.status] ?? "Unknown",
      code: rule.status,
    };
    return { status: rule.status, headers, body: JSON.stringify(status) };
  }

  describe(): { latency: LatencyRule[]; errors: ErrorRule[] } {
    return { latency: [...this.#latency], errors: this.#errors.map(({ until: _u, remaining: _r, ...rule }) => rule) };
  }
}
