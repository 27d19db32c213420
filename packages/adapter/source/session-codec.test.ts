import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeSessionParams, sessionCodec } from "./session-codec.ts";

describe("sessionCodec", () => {
  it("reads camelCase and snake_case aliases and writes one canonical form", () => {
    expect(
      sessionCodec.deserialize({ session_id: "s-1", workdir: "/paperclip/ws", workspace_id: "w", repo_url: "https://x", repo_ref: "main", prompt_bundle_key: "k", model: "claude-opus-4-8" }),
    ).toEqual({ sessionId: "s-1", cwd: "/paperclip/ws", workspaceId: "w", repoUrl: "https://x", repoRef: "main", promptBundleKey: "k", model: "claude-opus-4-8" });
    expect(sessionCodec.serialize({ sessionId: "s-2", folder: "/w" })).toEqual({ sessionId: "s-2", cwd: "/w" });
  });

  it("accepts the handoff form that carries only the display id", () => {
    expect(sessionCodec.deserialize({ sessionId: "0b7c9f1e-5d1c-4d53-9f54-8b7c1d2e3f40" })).toEqual({ sessionId: "0b7c9f1e-5d1c-4d53-9f54-8b7c1d2e3f40" });
  });

  it("returns null without a session id and drops empty fields", () => {
    expect(sessionCodec.deserialize({ cwd: "/w" })).toBeNull();
    expect(sessionCodec.deserialize({ sessionId: "  " })).toBeNull();
    expect(sessionCodec.deserialize(null)).toBeNull();
    expect(sessionCodec.deserialize("s-1")).toBeNull();
    expect(sessionCodec.deserialize(["s-1"])).toBeNull();
    expect(sessionCodec.serialize({ sessionId: "s", cwd: "", repoUrl: 7 })).toEqual({ sessionId: "s" });
  });

  it("uses the full session id as display id", () => {
    expect(sessionCodec.getDisplayId({ session_id: "abc-def" })).toBe("abc-def");
    expect(sessionCodec.getDisplayId({})).toBeNull();
  });

  it("is idempotent and never throws on arbitrary input", () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        const once = normalizeSessionParams(raw);
        expect(normalizeSessionParams(once)).toEqual(once);
      }),
    );
  });
});
