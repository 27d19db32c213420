// The slice of Paperclip's REST API the tests use. In local_trusted mode a loopback request
// is the instance admin, so no credentials are needed.

export class PaperclipApiError extends Error {
  readonly status: number;
  readonly body: string;

  constructor(method: string, path: string, status: number, body: string) {
    super(`Paperclip ${method} ${path} answered ${status}: ${body.slice(0, 500)}`);
    this.status = status;
    this.body = body;
  }
}

export type Json = Record<string, unknown>;

export class PaperclipApi {
  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  async request<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/api${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new PaperclipApiError(method, path, response.status, text);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  get<T = Json>(path: string): Promise<T> {
    return this.request<T>("GET", path);
  }

  post<T = Json>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>("POST", path, body);
  }

  patch<T = Json>(path: string, body: unknown): Promise<T> {
    return this.request<T>("PATCH", path, body);
  }

  /** `/api/health` answers `starting` before `ok`. */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = "no answer";
    while (Date.now() < deadline) {
      try {
        const health = await this.get<{ status?: string }>("/health");
        if (health.status === "ok") return;
        last = `status ${health.status}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`Paperclip at ${this.url} was not healthy within ${timeoutMs / 1000} s (${last})`);
  }

  /** The run's log as the server stored it (`/log` answers chunks of NDJSON records). */
  async runLog(runId: string): Promise<string> {
    const response = await fetch(`${this.url}/api/heartbeat-runs/${runId}/log`);
    return response.text();
  }
}
