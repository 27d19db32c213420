import { KubeApiError } from "../kube/kube-api-error.ts";
import type { KubeClient } from "../kube/kube-client.ts";
import { abortableSleep } from "../kube/abortable-sleep.ts";
import { retryDelayMs } from "../kube/retry-delay.ts";
import { LineBuffer } from "./line-buffer.ts";
import { ResumeAligner } from "./resume-aligner.ts";

export interface FollowLogOptions {
  client: KubeClient;
  namespace: string;
  pod: string;
  container: string;
  /** Each whole line once, in order (no newline). Awaited: a slow consumer slows the reading, never the memory. */
  onLine: (line: string) => void | Promise<void>;
  /** True once the pod watch saw the container terminate: a stream that ends then is complete. */
  containerTerminated: () => boolean;
  /**
   * Resolves when the container is seen terminated, or after `ms`. A log stream usually ends
   * because the container did, a moment before the pod watch says so: waiting for that saves
   * a reconnect (one request per run).
   */
  untilTerminated?: (ms: number) => Promise<void>;
  signal: AbortSignal;
  /** How far before the last byte received a resumed stream starts (the log API resolves seconds). */
  overlapSeconds?: number;
  /**
   * How long an open stream may bring no data before it is taken for stalled and resumed
   * while the container runs (default 15 min: claude is quiet through long tool calls, and a
   * stall then only delays the live view; no line is lost, the resume reads it again).
   */
  idleMs?: number;
  /** The same once the container has terminated: the rest of the log is all there, a quiet stream is a stalled one (default 5 s). */
  drainIdleMs?: number;
  maxLineBytes?: number;
  log?: (line: string) => void;
}

export interface FollowLogReport {
  lines: number;
  connections: number;
  /** Lines dropped for exceeding maxLineBytes. */
  oversized: number;
  /** Why following stopped. */
  end: "complete" | "aborted" | "pod-gone";
}

/**
 * Follows one container's log to its end. A stream that ends or breaks before the
 * container terminated is resumed from a little before the last data, and the repeated
 * lines are dropped (ResumeAligner), so a flaky connection costs neither a line nor a
 * duplicate. Never asks for timestamps: the runtime splits long lines and the kubelet then
 * stamps the pieces, corrupting stream-json lines over 16 KiB.
 */
export async function followContainerLog(options: FollowLogOptions): Promise<FollowLogReport> {
  const { client, namespace, pod, container, signal } = options;
  const overlapMs = (options.overlapSeconds ?? 10) * 1000;
  const idleMs = options.idleMs ?? 15 * 60_000;
  const drainIdleMs = options.drainIdleMs ?? 5000;
  const aligner = new ResumeAligner();
  const report: FollowLogReport = { lines: 0, connections: 0, oversized: 0, end: "complete" };
  const lines = new LineBuffer({
    maxLineBytes: options.maxLineBytes ?? 64 * 1024 * 1024,
    onOversized: (bytes) => {
      report.oversized += 1;
      options.log?.(`log of ${pod}/${container}: skipped a line of ${bytes} bytes (over the line limit)`);
    },
  });
  const deliver = async (batch: string[]) => {
    for (const line of batch) {
      report.lines += 1;
      await options.onLine(line);
    }
  };

  let lastDataAt: number | undefined;
  let failures = 0;
  while (!signal.aborted) {
    const resuming = report.connections > 0;
    if (resuming) await deliver(aligner.beginResume());
    report.connections += 1;
    const query: Record<string, string | boolean> = { container, follow: true };
    // sinceSeconds, not sinceTime: a duration measured here and applied on the node's clock
    // needs no agreement between the two clocks (a sinceTime from a clock ahead of the node's
    // would skip lines).
    if (resuming && lastDataAt !== undefined) query.sinceSeconds = String(Math.ceil((Date.now() - lastDataAt + overlapMs) / 1000));
    let ended: "eof" | "error" = "eof";
    try {
      const response = await client.stream({ path: `/api/v1/namespaces/${namespace}/pods/${pod}/log`, query, signal, attempts: 1 });
      failures = 0;
      const onAbort = () => response.destroy();
      signal.addEventListener("abort", onAbort, { once: true });
      // A stream can stall without closing (a proxy, a node under pressure): no data for too long is a break, resumed like one.
      let open = true;
      let delivering = false;
      let idle: NodeJS.Timeout | undefined;
      const armIdle = () => {
        clearTimeout(idle);
        if (delivering) return;
        const ms = options.containerTerminated() ? drainIdleMs : idleMs;
        idle = setTimeout(() => response.destroy(new Error(`no data for ${ms} ms`)), ms);
      };
      armIdle();
      // The container's end shortens the wait of a quiet stream.
      void options.untilTerminated?.(idleMs).then(() => {
        if (open) armIdle();
      });
      try {
        for await (const chunk of response as AsyncIterable<Buffer>) {
          // Quiet is measured on the stream, never on a slow consumer: no timer while delivering.
          clearTimeout(idle);
          delivering = true;
          lastDataAt = Date.now();
          for (const line of lines.push(chunk)) await deliver(aligner.push(line));
          delivering = false;
          armIdle();
        }
      } finally {
        open = false;
        clearTimeout(idle);
        signal.removeEventListener("abort", onAbort);
      }
    } catch (error) {
      if (signal.aborted) break;
      if (error instanceof KubeApiError && error.isNotFound) {
        report.end = "pod-gone";
        return report;
      }
      ended = "error";
      failures += 1;
      // 400 "waiting to start" and dropped connections alike: try again shortly.
      options.log?.(`log of ${pod}/${container}: ${(error as Error).message}; resuming`);
    }
    if (signal.aborted) break;
    if (ended === "eof" && !options.containerTerminated()) await options.untilTerminated?.(3000);
    if (ended === "eof" && options.containerTerminated()) {
      const rest = lines.flush();
      if (rest !== undefined) await deliver(aligner.push(rest));
      await deliver(aligner.endConnection());
      return report;
    }
    // Broken off early: an unterminated line will come again, whole, with the overlap.
    lines.discard();
    await deliver(aligner.endConnection());
    await abortableSleep(ended === "error" ? retryDelayMs(failures, undefined) : 200, signal).catch(() => undefined);
  }
  report.end = "aborted";
  return report;
}
