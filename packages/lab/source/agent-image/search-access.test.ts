import { describe, expect, it } from "vitest";
import { canSearch, describeDenied, firstSearchDenied, pathChain } from "./search-access.ts";

const agent = { uid: 1000, gids: [1000] };
const dir = (mode: number, uid = 0, gid = 0) => ({ mode: 0o040000 | mode, uid, gid });

describe("pathChain", () => {
  it("lists every directory from / down to the path", () => {
    expect(pathChain("/root/src/claude-k8s")).toEqual(["/", "/root", "/root/src", "/root/src/claude-k8s"]);
    expect(pathChain("/")).toEqual(["/"]);
    expect(pathChain("/a//b/")).toEqual(["/", "/a", "/a/b"]);
  });

  it("refuses a relative path", () => {
    expect(() => pathChain("src/x")).toThrow(/absolute path/);
  });
});

describe("canSearch", () => {
  it("uses the owner's bits for the owner, even when others may search", () => {
    expect(canSearch(dir(0o005, 1000), agent)).toBe(false);
    expect(canSearch(dir(0o700, 1000), agent)).toBe(true);
  });

  it("uses the group's bits for a member that is not the owner", () => {
    expect(canSearch(dir(0o750, 0, 1000), agent)).toBe(true);
    expect(canSearch(dir(0o705, 0, 1000), agent)).toBe(false);
  });

  it("uses the other bits for everyone else; root passes always", () => {
    expect(canSearch(dir(0o755), agent)).toBe(true);
    expect(canSearch(dir(0o700), agent)).toBe(false);
    expect(canSearch(dir(0o711), agent)).toBe(true);
    expect(canSearch(dir(0o000, 5), { uid: 0, gids: [0] })).toBe(true);
  });
});

describe("firstSearchDenied", () => {
  const tree: Record<string, ReturnType<typeof dir>> = {
    "/": dir(0o755),
    "/root": dir(0o700),
    "/root/src": dir(0o755),
    "/home": dir(0o755),
    "/home/alice": dir(0o750, 1001, 1001),
    "/tmp": dir(0o1777),
  };
  const statOf = (path: string) => tree[path];

  it("names the private directory above a checkout", () => {
    expect(firstSearchDenied("/root/src", agent, statOf)).toEqual({ directory: "/root", mode: 0o700, owner: 0, group: 0 });
    expect(firstSearchDenied("/home/alice/claude-k8s", agent, statOf)?.directory).toBe("/home/alice");
  });

  it("passes a reachable path, and stops at the first directory that does not exist yet", () => {
    expect(firstSearchDenied("/tmp/claude-k8s-agent-image-0/x", agent, statOf)).toBeUndefined();
  });

  it("says which directory stops which uid", () => {
    const denied = firstSearchDenied("/root/src", agent, statOf);
    expect(describeDenied(denied!, agent)).toBe("/root (mode 0700, owner uid 0) does not let uid 1000 search it");
  });
});
