import { describe, expect, it } from "vitest";
import { formatLogTimestamp, parseLogQuery } from "./log-query.ts";

const parse = (query: string, now = 1_000_000) => parseLogQuery(new URLSearchParams(query), now);

describe("parseLogQuery", () => {
  it("reads the flags kubectl and client-node send", () => {
    expect(parse("follow=true&timestamps=true&tailLines=10&limitBytes=500&pretty=true")).toEqual({
      follow: true,
      previous: false,
      timestamps: true,
      tailLines: 10,
      limitBytes: 500,
    });
    expect(parse("follow=false&previous=1")).toEqual({ follow: false, previous: true, timestamps: false });
  });

  it("turns sinceSeconds and sinceTime into one instant", () => {
    expect(parse("sinceSeconds=10", 1_000_000)).toMatchObject({ sinceMs: 990_000 });
    expect(parse("sinceTime=2026-11-22T08:00:00Z")).toMatchObject({ sinceMs: Date.parse("2026-11-22T08:00:00Z") });
  });

  it("accepts tailLines=0 (no old lines, only what follows)", () => {
    expect(parse("tailLines=0&follow=true")).toMatchObject({ tailLines: 0, follow: true });
  });

  it.each([
    ["tailLines=-1", "tailLines must be an integer >= 0"],
    ["limitBytes=0", "limitBytes must be an integer >= 1"],
    ["sinceSeconds=abc", "sinceSeconds must be an integer >= 1"],
    ["sinceTime=yesterday", "sinceTime must be an RFC 3339 time"],
    ["sinceTime=2026-11-22T08:00:00Z&sinceSeconds=5", "at most one of sinceTime or sinceSeconds"],
  ])("rejects %s", (query, message) => {
    const result = parse(query);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toContain(message);
  });
});

describe("formatLogTimestamp", () => {
  it("trims trailing zeros like RFC3339Nano", () => {
    expect(formatLogTimestamp(Date.parse("2026-11-22T08:51:10.120Z"))).toBe("2026-11-22T08:51:10.12Z");
    expect(formatLogTimestamp(Date.parse("2026-11-22T08:51:10.000Z"))).toBe("2026-11-22T08:51:10Z");
  });
});
