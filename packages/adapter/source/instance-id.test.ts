import { describe, expect, it } from "vitest";
import { instanceIdFromEnv } from "./instance-id.ts";

describe("instanceIdFromEnv", () => {
  it("takes CLAUDE_K8S_INSTANCE_ID, else Paperclip's PAPERCLIP_INSTANCE_ID, else default", () => {
    expect(instanceIdFromEnv({ CLAUDE_K8S_INSTANCE_ID: " prod-eu ", PAPERCLIP_INSTANCE_ID: "x" })).toBe("prod-eu");
    expect(instanceIdFromEnv({ PAPERCLIP_INSTANCE_ID: "staging" })).toBe("staging");
    expect(instanceIdFromEnv({ CLAUDE_K8S_INSTANCE_ID: "  ", PAPERCLIP_INSTANCE_ID: "" })).toBe("default");
    expect(instanceIdFromEnv({})).toBe("default");
  });
});
