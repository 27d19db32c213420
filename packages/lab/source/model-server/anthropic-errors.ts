// Error replies shaped like the real Messages API's, because the CLI decides on retries and
// on its final `api_error_status` from the status, the body's error.type and these headers.

const typeByStatus: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  504: "timeout_error",
  529: "overloaded_error",
};

const messageByType: Record<string, string> = {
  invalid_request_error: "Invalid request",
  authentication_error: "invalid x-api-key",
  billing_error: "Your credit balance is too low to access the Anthropic API.",
  permission_error: "Your API key does not have permission to use the specified resource.",
  not_found_error: "Not found",
  request_too_large: "Request exceeds the maximum allowed number of bytes.",
  rate_limit_error: "This request would exceed the rate limit for your organization. Please try again later.",
  api_error: "Internal server error",
  timeout_error: "Request timed out",
  overloaded_error: "Overloaded",
};

export function errorTypeFor(status: number): string {
  return typeByStatus[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

export type ErrorReply = { status: number; headers: Record<string, string>; body: { type: "error"; error: { type: string; message: string }; request_id: string } };

export function errorReply(
  options: { status: number; errorType?: string; message?: string; retryAfterSeconds?: number },
  requestId: string,
  now: Date,
): ErrorReply {
  const type = options.errorType ?? errorTypeFor(options.status);
  const message = options.message ?? messageByType[type] ?? "Error";
  const headers: Record<string, string> = { "content-type": "application/json", "request-id": requestId };
  const retryAfter = options.retryAfterSeconds ?? (options.status === 429 || options.status === 529 ? 1 : undefined);
  if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
  if (options.status === 429) {
    // The API states when each limit resets; clients (and the CLI) may prefer these to retry-after.
    const reset = new Date(now.getTime() + (retryAfter ?? 1) * 1000).toISOString();
    for (const limit of ["requests", "tokens", "input-tokens", "output-tokens"]) {
      headers[`anthropic-ratelimit-${limit}-limit`] = "1000";
      headers[`anthropic-ratelimit-${limit}-remaining`] = "0";
      headers[`anthropic-ratelimit-${limit}-reset`] = reset;
    }
  }
  if (options.status >= 500) headers["x-should-retry"] = "true";
  return { status: options.status, headers, body: { type: "error", error: { type, message }, request_id: requestId } };
}
