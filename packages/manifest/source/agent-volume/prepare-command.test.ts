import { execFileSync } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildVolumeSetupContainer } from "./prepare-command.ts";

describe("buildVolumeSetupContainer", () => {
  it("makes every directory it is given, whatever the path holds", () => {
    const root = mkdtempSync(path.join(tmpdir(), "volume-setup-"));
    const home = path.join(root, "home");
    const work = path.join(root, "projects", "a b $(x) -n");
    const spec = buildVolumeSetupContainer({
      image: "agent:1",
      imagePullPolicy: "IfNotPresent",
      directories: [home, work],
      volumeMount: { name: "data", mountPath: root },
      resources: { requests: {}, limits: {} },
      securityContext: {} as never,
    });
    // What the kubelet passes after turning $$ back into $.
    const [program, ...rest] = [...spec.command, ...spec.args].map((part) => part.replaceAll("$$", "$"));
    execFileSync(program!, rest, { cwd: root });
    expect(statSync(home).isDirectory()).toBe(true);
    expect(statSync(work).isDirectory()).toBe(true);
  });
});
