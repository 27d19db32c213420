import { open } from "node:fs/promises";
import type { ContainerLog } from "./container-log.ts";

// The kubelet's termination message: the file at terminationMessagePath (at most 4096
// bytes), or with terminationMessagePolicy FallbackToLogsOnError and a failed, silent
// file, the end of the log (80 lines, at most 2048 bytes).

export const maxTerminationMessageBytes = 4096;
const fallbackLogLines = 80;
const fallbackLogBytes = 2048;

export async function terminationMessage(options: {
  hostPath: string;
  policy: "File" | "FallbackToLogsOnError" | undefined;
  exitCode: number;
  log: ContainerLog;
}): Promise<string | undefined> {
  const fromFile = await readHead(options.hostPath, maxTerminationMessageBytes);
  if (fromFile) return fromFile;
  if (options.policy === "FallbackToLogsOnError" && options.exitCode !== 0) {
    const tail = await options.log.tail(fallbackLogLines, fallbackLogBytes);
    return tail || undefined;
  }
  return undefined;
}

async function readHead(path: string, maxBytes: number): Promise<string> {
  try {
    const handle = await open(path, "r");
    try {
      const buffer = Buffer.alloc(maxBytes);
      const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
      return buffer.subarray(0, bytesRead).toString("utf8");
    } finally {
      await handle.close();
    }
  } catch {
    return "";
  }
}
