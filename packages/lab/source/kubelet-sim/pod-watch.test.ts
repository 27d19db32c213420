import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createApiClient } from "./api-client.ts";
import { startPodWatch } from "./pod-watch.ts";
import type { Pod } from "./types.ts";

// A scripted fake API server on loopback: each request gets the next scripted answer.

type Answer = (res: import("node:http").ServerResponse) => void;
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const pod = (name: string, resourceVersion: string): Pod => ({
  metadata: { name, namespace: "ns", uid: `uid-${name}`, resourceVersion },
  spec: { nodeName: "n1", containers: [] },
});
const list = (resourceVersion: string, items: Pod[]): Answer => (res) =>
  res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ metadata: { resourceVersion }, items }));
const events = (lines: object[], keepOpen = false): Answer => (res) => {
  res.writeHead(200, { "Content-Type": "application/json" });
  for (const line of lines) res.write(`${JSON.stringify(line)}\n`);
  if (!keepOpen) res.end();
};

async function fakeApiServer(script: Answer[]): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const next = script.shift();
    if (next) next(res);
    else res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`, requests };
}

describe("startPodWatch", () => {
  it("lists, watches from the list's resourceVersion, resumes after an end, relists on 410 Gone", async () => {
    const fake = await fakeApiServer([
      list("10", [pod("a", "9")]),
      events([
        { type: "ADDED", object: pod("b", "11") },
        { type: "BOOKMARK", object: { metadata: { resourceVersion: "12" } } },
      ]),
      events([{ type: "ERROR", object: { kind: "Status", code: 410, message: "too old resource version" } }]),
      list("20", [pod("b", "11")]),
      events([{ type: "DELETED", object: pod("b", "21") }], true),
    ]);
    const calls: string[] = [];
    const api = createApiClient({ server: fake.url, insecureSkipTlsVerify: false });
    const watch = startPodWatch(
      api,
      "n1",
      {
        upsert: (p) => calls.push(`upsert ${p.metadata.name}`),
        remove: (p) => calls.push(`remove ${p.metadata.name}`),
        resync: (pods) => calls.push(`resync ${pods.map((p) => p.metadata.name).join(",")}`),
      },
      () => {},
    );
    await watch.synced;
    while (!calls.includes("remove b")) await new Promise((resolve) => setTimeout(resolve, 10));
    watch.stop();
    api.close();
    expect(calls).toEqual(["resync a", "upsert b", "resync b", "remove b"]);
    const query = (url: string) => new URLSearchParams(url.split("?")[1]);
    expect(fake.requests.map((url) => [query(url).get("watch"), query(url).get("resourceVersion")])).toEqual([
      [null, null],
      ["1", "10"],
      ["1", "12"], // resumed from the bookmark
      [null, null], // 410: relist
      ["1", "20"],
    ]);
    expect(query(fake.requests[1] ?? "").get("fieldSelector")).toBe("spec.nodeName=n1");
    expect(query(fake.requests[1] ?? "").get("allowWatchBookmarks")).toBe("true");
  });
});
