import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { KubeClient, KubeRequest } from "../kube/kube-client.ts";
import { followContainerLog } from "./follow-container-log.ts";

/** A log endpoint whose first stream breaks after two lines; the second brings everything again and ends. */
function flakyLog(): { client: KubeClient; queries: KubeRequest["query"][] } {
  const queries: KubeRequest["query"][] = [];
  const client: KubeClient = {
    server: "https://fake.invalid",
    contextNamespace: undefined,
    request: () => Promise.reject(new Error("no requests here")),
    async stream(request) {
      queries.push(request.query);
      const body =
        queries.length === 1
          ? Readable.from(
              (async function* () {
                yield Buffer.from('{"uuid":"1"}\n{"uuid":"2"}\n');
                throw new Error("connection reset");
              })(),
            )
          : Readable.from([Buffer.from('{"uuid":"1"}\n{"uuid":"2"}\n{"uuid":"3"}\n')]);
      return body as unknown as IncomingMessage;
    },
    close() {},
  };
  return { client, queries };
}

describe("followContainerLog", () => {
  it("resumes with sinceSeconds (a duration, applied on the node's clock), never a sinceTime from ours", async () => {
    const { client, queries } = flakyLog();
    const lines: string[] = [];
    let terminated = false;
    const report = await followContainerLog({
      client,
      namespace: "agents",
      pod: "p",
      container: "claude",
      onLine: (line) => {
        lines.push(line);
        if (line.includes('"3"')) terminated = true;
      },
      containerTerminated: () => terminated,
      signal: AbortSignal.timeout(10_000),
      overlapSeconds: 10,
    });
    expect(report.end).toBe("complete");
    expect(lines).toEqual(['{"uuid":"1"}', '{"uuid":"2"}', '{"uuid":"3"}']);
    expect(queries[1]).not.toHaveProperty("sinceTime");
    expect(Number(queries[1]?.sinceSeconds)).toBeGreaterThanOrEqual(10);
  });
});
