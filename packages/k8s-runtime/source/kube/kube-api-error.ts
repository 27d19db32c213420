/**
 * An API server answer other than 2xx, with what an operator needs: the verb, the
 * resource path, the HTTP status, Kubernetes' reason (`Forbidden`, `AlreadyExists`, ...)
 * and its message (which names the user and the missing permission on a 403).
 */
export class KubeApiError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly verb: string;
  readonly path: string;
  readonly retryAfterSeconds: number | undefined;
  readonly body: unknown;

  constructor(options: { status: number; reason?: string; message?: string; verb: string; path: string; retryAfterSeconds?: number; body?: unknown }) {
    const reason = options.reason || statusText(options.status);
    super(`${options.verb} ${options.path}: ${options.status} ${reason}${options.message ? `: ${options.message}` : ""}`);
    this.name = "KubeApiError";
    this.status = options.status;
    this.reason = reason;
    this.verb = options.verb;
    this.path = options.path;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.body = options.body;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
  get isConflict(): boolean {
    return this.status === 409;
  }
  get isGone(): boolean {
    return this.status === 410;
  }
  get isForbidden(): boolean {
    return this.status === 403;
  }
  /** Worth another try after a pause: throttling, the server restarting or overloaded. */
  get isRetryable(): boolean {
    return this.status === 429 || this.status === 500 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/** A network-level failure reaching the API server (refused, reset, TLS, DNS). */
export class KubeUnreachableError extends Error {
  readonly verb: string;
  readonly path: string;
  readonly server: string;

  constructor(options: { verb: string; path: string; server: string; cause: unknown }) {
    const causeMessage = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`${options.verb} ${options.path}: cannot reach the API server at ${options.server}: ${causeMessage}`, { cause: options.cause });
    this.name = "KubeUnreachableError";
    this.verb = options.verb;
    this.path = options.path;
    this.server = options.server;
  }
}

function statusText(status: number): string {
  switch (status) {
    case 400: return "BadRequest";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 422: return "Invalid";
    case 429: return "TooManyRequests";
    case 500: return "InternalError";
    case 503: return "ServiceUnavailable";
    default: return `HTTP${status}`;
  }
}
