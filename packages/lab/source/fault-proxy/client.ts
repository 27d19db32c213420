import type { FaultProxyControls } from "./controls.ts";

/** Controls of a fault proxy living in another process (the lab's global setup, `lab up`). */
export function connectFaultProxy(endpoint: { url: string; token: string }): FaultProxyControls {
  async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${endpoint.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${endpoint.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const value = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`fault proxy ${method} ${path}: HTTP ${res.status}: ${value.error ?? "no message"}`);
    return value;
  }
  return {
    stats: () => call("GET", "/v1/stats"),
    resetStats: async () => void (await call("POST", "/v1/stats/reset")),
    addLatency: async (rule) => (await call<{ id: string }>("POST", "/v1/latency", rule)).id,
    injectErrors: async (rule) => (await call<{ id: string }>("POST", "/v1/errors", rule)).id,
    clearFaults: async () => void (await call("POST", "/v1/faults/clear")),
    cut: async (kind, match) => (await call<{ cut: number }>("POST", "/v1/cut", { kind, match })).cut,
    stall: async (kind, match) => (await call<{ stalled: number }>("POST", "/v1/stall", { kind, match })).stalled,
    restartApiServer: () => call("POST", "/v1/restart-apiserver"),
    restartKubelet: () => call("POST", "/v1/restart-kubelet"),
  };
}
