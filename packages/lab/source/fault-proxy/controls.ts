import type { ErrorRule, LatencyRule, RequestMatch } from "./faults.ts";
import type { CutKind, ProxyStats } from "./proxy-server.ts";

/**
 * What a test can do to the fault proxy. The same shape in-process (startFaultProxy's
 * `controls`) and from another process (connectFaultProxy over the control API), because
 * vitest runs tests in workers while the lab lives in the global setup.
 */
export type FaultProxyControls = {
  stats(): Promise<ProxyStats>;
  resetStats(): Promise<void>;
  /** Delays matching requests by `ms` before they are forwarded. Returns the rule's id. */
  addLatency(rule: LatencyRule): Promise<string>;
  /** Answers matching requests with `status` for a window of time and/or a number of requests. */
  injectErrors(rule: ErrorRule): Promise<string>;
  /** Removes every latency and error rule. */
  clearFaults(): Promise<void>;
  /** Cuts open watch / log / exec streams (optionally only the matching ones); returns how many. */
  cut(kind: CutKind, match?: RequestMatch): Promise<number>;
  /** Stalls open watch / log streams (optionally only the matching ones): they stay open and bring nothing more; returns how many. */
  stall(kind: CutKind, match?: RequestMatch): Promise<number>;
  /** Stops the kube-apiserver process and starts it again; resolves when it is ready. */
  restartApiServer(): Promise<{ ms: number }>;
  /** Real node only: stops the kubelet and starts it again (containers keep running); resolves when the node is Ready. */
  restartKubelet(): Promise<{ ms: number }>;
};
