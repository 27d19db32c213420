import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ContainerLog, maxRecordBytes } from "./container-log.ts";
import type { LogQuery } from "./log-query.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "container-log-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const all: LogQuery = { follow: false, previous: false, timestamps: false };

async function collect(log: ContainerLog, query: Partial<LogQuery>, signal?: AbortSignal): Promise<string> {
  let text = "";
  for await (const chunk of log.read({ ...all, ...query }, signal)) text += chunk.toString("utf8");
  return text;
}

function sampleLog(): ContainerLog {
  const log = new ContainerLog(join(dir, "main.log"));
  const t0 = Date.parse("2026-11-22T08:00:00Z");
  log.append(Buffer.from("one\ntw"), t0);
  log.append(Buffer.from("o\nthree\n"), t0 + 1000);
  log.append(Buffer.from("four\nfive"), t0 + 2000);
  return log;
}

describe("ContainerLog", () => {
  it("returns the raw bytes", async () => {
    expect(await collect(sampleLog(), {})).toBe("one\ntwo\nthree\nfour\nfive");
  });

  it("keeps the last tailLines lines", async () => {
    expect(await collect(sampleLog(), { tailLines: 2 })).toBe("four\nfive");
    expect(await collect(sampleLog(), { tailLines: 0 })).toBe("");
  });

  it("starts at the first line written at or after sinceMs", async () => {
    expect(await collect(sampleLog(), { sinceMs: Date.parse("2026-11-22T08:00:01Z") })).toBe("three\nfour\nfive");
  });

  it("prefixes each line with the time its first byte was written", async () => {
    expect(await collect(sampleLog(), { timestamps: true, tailLines: 3 })).toBe(
      "2026-11-22T08:00:01Z three\n2026-11-22T08:00:02Z four\n2026-11-22T08:00:02Z five",
    );
  });

  it("stops after limitBytes", async () => {
    expect(await collect(sampleLog(), { limitBytes: 6 })).toBe("one\ntw");
  });

  it("streams appended bytes to followers and ends them when the container exits", async () => {
    const log = new ContainerLog(join(dir, "follow.log"));
    log.append(Buffer.from("first\n"));
    const seen: string[] = [];
    const reading = (async () => {
      for await (const chunk of log.read({ ...all, follow: true })) {
        seen.push(chunk.toString());
        if (seen.length === 1) log.append(Buffer.from("second\n"));
        if (seen.length === 2) log.close();
      }
    })();
    await reading;
    expect(seen).toEqual(["first\n", "second\n"]);
  });

  it("ends a follower when its signal aborts", async () => {
    const log = new ContainerLog(join(dir, "abort.log"));
    const controller = new AbortController();
    const reading = collect(log, { follow: true }, controller.signal);
    controller.abort();
    expect(await reading).toBe("");
  });

  it("tails by lines and bytes for the termination message", async () => {
    const log = sampleLog();
    expect(await log.tail(2, 1000)).toBe("four\nfive");
    expect(await log.tail(80, 3)).toBe("ive");
  });
});

describe("ContainerLog records", () => {
  it("cuts lines longer than 16 KiB into records: raw reads join them, timestamps show the cut", async () => {
    const log = new ContainerLog(join(dir, "long.log"));
    const long = "x".repeat(maxRecordBytes + 10);
    log.append(Buffer.from(`short\n${long.slice(0, 5000)}`), Date.parse("2026-11-22T08:00:00Z"));
    log.append(Buffer.from(`${long.slice(5000)}\nlast\n`), Date.parse("2026-11-22T08:00:01Z"));
    expect(await collect(log, {})).toBe(`short\n${long}\nlast\n`);
    expect(await collect(log, { tailLines: 2 })).toBe(`${long}\nlast\n`);
    const stamped = await collect(log, { timestamps: true, tailLines: 2 });
    expect(stamped).toBe(
      `2026-11-22T08:00:00Z ${"x".repeat(maxRecordBytes)}2026-11-22T08:00:01Z xxxxxxxxxx\n2026-11-22T08:00:01Z last\n`,
    );
  });
});
