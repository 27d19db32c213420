// The query of the kubelet's GET /containerLogs/{namespace}/{pod}/{container} endpoint,
// which is what the API server forwards for `kubectl logs` and pods/log requests.

export type LogQuery = {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** Only lines written at or after this time (ms since the epoch). */
  sinceMs?: number;
  tailLines?: number;
  limitBytes?: number;
};

const booleanParam = (params: URLSearchParams, name: string) => {
  const value = params.get(name);
  return value !== null && value !== "false" && value !== "0";
};

/** The query, or an Error whose message names the bad parameter (answered with 400). */
export function parseLogQuery(params: URLSearchParams, now = Date.now()): LogQuery | Error {
  const query: LogQuery = {
    follow: booleanParam(params, "follow"),
    previous: booleanParam(params, "previous"),
    timestamps: booleanParam(params, "timestamps"),
  };
  const sinceTime = params.get("sinceTime");
  const sinceSeconds = params.get("sinceSeconds");
  if (sinceTime !== null && sinceSeconds !== null) return new Error("at most one of sinceTime or sinceSeconds may be specified");
  if (sinceTime !== null) {
    const ms = Date.parse(sinceTime);
    if (Number.isNaN(ms)) return new Error(`sinceTime must be an RFC 3339 time, got "${sinceTime}"`);
    query.sinceMs = ms;
  }
  if (sinceSeconds !== null) {
    const seconds = integerParam(sinceSeconds, "sinceSeconds", 1);
    if (seconds instanceof Error) return seconds;
    query.sinceMs = now - seconds * 1000;
  }
  for (const name of ["tailLines", "limitBytes"] as const) {
    const raw = params.get(name);
    if (raw === null) continue;
    const value = integerParam(raw, name, name === "tailLines" ? 0 : 1);
    if (value instanceof Error) return value;
    query[name] = value;
  }
  return query;
}

function integerParam(raw: string, name: string, minimum: number): number | Error {
  if (!/^\d+$/.test(raw) || Number(raw) < minimum) return new Error(`${name} must be an integer >= ${minimum}, got "${raw}"`);
  return Number(raw);
}

/** RFC 3339 with fractional seconds and no trailing zeros, as Go's time.RFC3339Nano prints. */
export function formatLogTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-22T08:51:10.120Z
  return iso.replace(/\.(\d+)Z$/, (_, fraction: string) => {
    const trimmed = fraction.replace(/0+$/, "");
    return trimmed ? `.${trimmed}Z` : "Z";
  });
}
