import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { teeDirectory } from "./reduce-output-files.ts";

describe("teeDirectory", () => {
  it("is one directory per user under the temporary directory, so users sharing /tmp never share it", () => {
    expect(teeDirectory({}, 1000)).toBe(join(tmpdir(), "claude-rtk-hook-1000"));
    expect(teeDirectory({}, 0)).toBe(join(tmpdir(), "claude-rtk-hook-0"));
  });

  it("is $CLAUDE_RTK_TEE_DIR when set", () => {
    expect(teeDirectory({ CLAUDE_RTK_TEE_DIR: "/srv/outputs" }, 1000)).toBe("/srv/outputs");
  });
});
