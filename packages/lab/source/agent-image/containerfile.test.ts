import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The operators' recipe, read as text: the promises its README makes that a build in the lab
// does not show by itself (the lab's build always passes a CA; an operator's often does not).
const recipe = readFileSync(join(import.meta.dirname, "../../../../images/agent/Containerfile"), "utf8");

/** Each RUN instruction with its continuation lines joined. */
function runInstructions(text: string): string[] {
  const joined = text.replace(/\\\n/g, " ");
  return joined
    .split("\n")
    .filter((line) => /^RUN\b/.test(line))
    .map((line) => line.replace(/\s+/g, " "));
}

describe("images/agent/Containerfile", () => {
  const runs = runInstructions(recipe);

  it("every RUN that downloads over HTTPS mounts the optional build-ca secret and uses it only when present", () => {
    const downloading = runs.filter((run) => /curl -fsSL|npm install/.test(run));
    expect(downloading.length).toBeGreaterThanOrEqual(2);
    for (const run of downloading) {
      expect(run).toMatch(/^RUN --mount=type=secret,id=build-ca,target=\/run\/secrets\/build-ca /);
      expect(run).toMatch(/if \[ -s \/run\/secrets\/build-ca \]; then/);
    }
  });

  it("never keeps the build-time CA in the image", () => {
    // Not copied, not added to the system store, and the combined bundle removed in its own step.
    expect(recipe).not.toMatch(/cp [^\n]*\/run\/secrets|update-ca-certificates|\/usr\/local\/share\/ca-certificates/);
    for (const run of runs.filter((r) => r.includes("/tmp/build-ca.pem"))) expect(run).toMatch(/rm -f [^;]*\/tmp\/build-ca\.pem/);
  });

  it("checks every download against a pinned sha512 and installs npm itself (the registry's Node build has none)", () => {
    const downloads = [...recipe.matchAll(/curl -fsSL -o (\S+)/g)].map((match) => match[1]!);
    expect(downloads).toEqual(["/tmp/node.tgz", "/tmp/npm.tgz"]);
    for (const file of downloads) expect(recipe).toContain(`  ${file}" | sha512sum -c -`);
    expect(recipe).toMatch(/ln -s \/usr\/local\/lib\/nodejs\/lib\/node_modules\/npm\/bin\/npm-cli\.js \/usr\/local\/bin\/npm/);
  });

  it("pins the Claude Code version the lab's tests run", () => {
    const pinned = /ARG CLAUDE_CODE_VERSION=(\S+)/.exec(recipe)?.[1];
    const lab = JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8")) as { devDependencies: Record<string, string> };
    expect(pinned).toBe(lab.devDependencies["@anthropic-ai/claude-code"]);
  });

  it("runs as uid 1000 with tini as PID 1", () => {
    expect(recipe).toMatch(/^USER 1000:1000$/m);
    expect(recipe).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
  });
});
