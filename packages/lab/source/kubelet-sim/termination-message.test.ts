import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ContainerLog } from "./container-log.ts";
import { terminationMessage } from "./termination-message.ts";

let dir: string;
let log: ContainerLog;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "termination-"));
  log = new ContainerLog(join(dir, "log"));
  log.append(Buffer.from(`${Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n")}\n`));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("terminationMessage", () => {
  it("reads the file, cut at 4096 bytes", async () => {
    const hostPath = join(dir, "termination-log");
    writeFileSync(hostPath, "x".repeat(5000));
    expect(await terminationMessage({ hostPath, policy: "File", exitCode: 1, log })).toHaveLength(4096);
  });

  it("falls back to the last 80 lines of the log only on failure with FallbackToLogsOnError", async () => {
    const hostPath = join(dir, "empty");
    writeFileSync(hostPath, "");
    const message = await terminationMessage({ hostPath, policy: "FallbackToLogsOnError", exitCode: 2, log });
    expect(message?.startsWith("line 20\n")).toBe(true);
    expect(message?.endsWith("line 99\n")).toBe(true);
    expect(await terminationMessage({ hostPath, policy: "FallbackToLogsOnError", exitCode: 0, log })).toBeUndefined();
    expect(await terminationMessage({ hostPath, policy: "File", exitCode: 2, log })).toBeUndefined();
  });
});
