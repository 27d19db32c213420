import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { installHook, isRtkHookEntry, settingsDocument, shellQuote, uninstallHook } from "./settings.ts";

const command = "node /home/u/.claude/hooks/claude-rtk-hook.cjs --max-bytes 20000";

const existing = {
  model: "opus",
  permissions: { allow: ["Bash(ls:*)"] },
  hooks: {
    PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "guard.sh" }] }],
    PostToolUse: [{ matcher: "Write|Edit", hooks: [{ type: "command", command: "prettier --write" }] }],
  },
  env: { FOO: "1" },
};

describe("installHook", () => {
  it("adds one PostToolUse group for every tool, one PreToolUse group for Bash (the rewrite), and keeps everything else", () => {
    const next = installHook(existing, command);
    expect(next).toEqual({
      ...existing,
      hooks: {
        PreToolUse: [...existing.hooks.PreToolUse, { matcher: "Bash", hooks: [{ type: "command", command, timeout: 30 }] }],
        PostToolUse: [...existing.hooks.PostToolUse, { matcher: "*", hooks: [{ type: "command", command, timeout: 30 }] }],
      },
    });
    expect(Object.keys(next)).toEqual(Object.keys(existing));
  });

  it("replaces an older install instead of adding a second one", () => {
    const once = installHook(existing, "claude-rtk-hook --max-bytes 1000");
    const twice = installHook(once, command);
    const ours = twice.hooks as { PreToolUse: Array<{ hooks: unknown[] }>; PostToolUse: Array<{ hooks: unknown[] }> };
    expect(ours.PostToolUse.flatMap((group) => group.hooks).filter(isRtkHookEntry)).toEqual([{ type: "command", command, timeout: 30 }]);
    expect(ours.PreToolUse.flatMap((group) => group.hooks).filter(isRtkHookEntry)).toEqual([{ type: "command", command, timeout: 30 }]);
  });

  it("keeps other hooks that share a group with ours", () => {
    const shared = { hooks: { PostToolUse: [{ matcher: "*", hooks: [{ type: "command", command: "claude-rtk-hook" }, { type: "command", command: "log.sh" }] }] } };
    expect(uninstallHook(shared)).toEqual({ hooks: { PostToolUse: [{ matcher: "*", hooks: [{ type: "command", command: "log.sh" }] }] } });
  });

  it.each([
    [[], /settings must be a JSON object, got an array/],
    [{ hooks: [] }, /"hooks" must be an object/],
    [{ hooks: { PostToolUse: {} } }, /"hooks.PostToolUse" must be an array/],
    [{ hooks: { PreToolUse: "guard.sh" } }, /"hooks.PreToolUse" must be an array/],
  ])("refuses settings it cannot merge safely: %j", (settings, message) => {
    expect(() => installHook(settings, command)).toThrow(message);
  });

  it("removes the containers it empties", () => {
    expect(uninstallHook(installHook({ model: "opus" }, command))).toEqual({ model: "opus" });
  });

  it("refuses a command uninstall could not recognise", () => {
    expect(() => installHook({}, "node /opt/hook.js")).toThrow(/must name claude-rtk-hook/);
  });
});

// Settings documents with arbitrary other content, including other hooks.
const otherHook = fc.record({ type: fc.constant("command"), command: fc.constantFrom("a.sh", "lint --fix", "notify") });
const group = fc.record({ matcher: fc.constantFrom("*", "Bash", "Write|Edit"), hooks: fc.array(otherHook, { minLength: 1, maxLength: 3 }) });
const settingsArbitrary = fc.record(
  {
    model: fc.string(),
    env: fc.dictionary(fc.string({ minLength: 1 }), fc.string()),
    hooks: fc.record({ PreToolUse: fc.array(group, { maxLength: 2 }), PostToolUse: fc.array(group, { maxLength: 3 }), Stop: fc.array(group, { maxLength: 1 }) }, { requiredKeys: [] }),
    extra: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

describe("install/uninstall, properties", () => {
  it("install is idempotent", () => {
    fc.assert(
      fc.property(settingsArbitrary, (settings) => {
        const once = installHook(settings, command);
        expect(installHook(once, command)).toEqual(once);
      }),
    );
  });

  // An empty "hooks" object or PreToolUse/PostToolUse list cannot survive the round trip:
  // uninstall removes the containers it empties (it cannot know they were there, empty, before).
  const noEmptyContainers = (settings: { hooks?: { PreToolUse?: unknown[]; PostToolUse?: unknown[] } }) =>
    settings.hooks === undefined || (Object.keys(settings.hooks).length > 0 && settings.hooks.PostToolUse?.length !== 0 && settings.hooks.PreToolUse?.length !== 0);

  it("uninstall after install gives back the original, key order included", () => {
    fc.assert(
      fc.property(settingsArbitrary.filter(noEmptyContainers), (settings) => {
        const roundTrip = uninstallHook(installHook(settings, command));
        expect(JSON.stringify(roundTrip)).toBe(JSON.stringify(settings));
      }),
    );
  });
});

describe("settingsDocument", () => {
  it("is a settings document with only our hook", () => {
    const hook = { type: "command", command: "claude-rtk-hook", timeout: 30 };
    expect(settingsDocument("claude-rtk-hook")).toEqual({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [hook] }], PostToolUse: [{ matcher: "*", hooks: [hook] }] } });
  });
});

describe("shellQuote", () => {
  it("quotes only when needed, single quotes included", () => {
    expect(shellQuote("/home/u/.claude/hooks/x.mjs")).toBe("/home/u/.claude/hooks/x.mjs");
    expect(shellQuote("/Users/Jo Doe/it's")).toBe("'/Users/Jo Doe/it'\\''s'");
  });
});
