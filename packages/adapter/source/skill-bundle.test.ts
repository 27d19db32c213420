import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readSkillBundle } from "./skill-bundle.ts";

function skillDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "skill-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

describe("readSkillBundle", () => {
  it("reads every text file with its path inside the skill, in a stable order", async () => {
    const bundle = await readSkillBundle(skillDir({ "SKILL.md": "# Skill\n", "b/two.txt": "2", "a/one.txt": "1" }));
    expect(bundle).toEqual({ files: [{ path: "a/one.txt", content: "1" }, { path: "b/two.txt", content: "2" }, { path: "SKILL.md", content: "# Skill\n" }] });
  });

  it("says why a skill cannot be shipped: binary files, size, count, a missing directory", async () => {
    expect(await readSkillBundle(skillDir({ "SKILL.md": "x", "logo.png": Buffer.from([0x89, 0x50, 0x00, 0x01]) }))).toEqual({ problem: "logo.png is not a text file" });
    expect(await readSkillBundle(skillDir({ "big.md": "x".repeat(300 * 1024) }))).toEqual({ problem: "more than 256 KiB" });
    expect(await readSkillBundle(skillDir({ "a.md": "1", "b.md": "2", "c.md": "3" }), { maxFiles: 2, maxBytes: 1024 })).toEqual({ problem: "more than 2 files" });
    expect(await readSkillBundle("/nonexistent/skill")).toEqual({ problem: "cannot be read here (ENOENT)" });
  });
});
