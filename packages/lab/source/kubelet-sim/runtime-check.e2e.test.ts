import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { checkContainerRuntime } from "./runtime-check.ts";

// Needs root (as kubelet-sim does); no cluster.

describe("checkContainerRuntime", () => {
  it("passes as root with util-linux", async () => {
    await expect(checkContainerRuntime()).resolves.toBeUndefined();
  });

  it("tells a non-root user what is missing and what to do", () => {
    const script = `import { checkContainerRuntime } from ${JSON.stringify(new URL("./runtime-check.ts", import.meta.url).pathname)};
      await checkContainerRuntime().then(() => console.log("passed"), (error) => console.log(error.message));`;
    const output = execFileSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(output).toMatch(/^kubelet-sim: must run as root .*run the lab as root/);
  });
});
