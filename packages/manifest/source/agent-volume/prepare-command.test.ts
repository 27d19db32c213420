import { execFileSync } from "node:child_process";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildContainerCommand } from "../container-command.ts";
import { withPreparedDirectories } from "./prepare-command.ts";

describe("withPreparedDirectories", () => {
  it("makes HOME and the working directory, enters it, then runs the program with the prompt on stdin", () => {
    const root = mkdtempSync(path.join(tmpdir(), "prepare-"));
    const prompt = path.join(root, "prompt.txt");
    execFileSync("sh", ["-c", `printf 'hello' > '${prompt}'`]);
    const home = path.join(root, "home");
    const work = path.join(root, "projects", "a b $(x)");
    const { command, args } = withPreparedDirectories(buildContainerCommand(["sh", "-c", 'pwd; cat; printf " %s" "$0"', "arg 1"], prompt), home, work);
    // What the kubelet would pass after expanding $$ back to $.
    const expand = (part: string) => part.replaceAll("$$", "$");
    const [program, ...rest] = [...command, ...args].map(expand);
    const output = execFileSync(program!, rest, { cwd: root, encoding: "utf8" });
    expect(output).toBe(`${work}\nhello arg 1`);
    expect(statSync(home).isDirectory()).toBe(true);
  });

  it("refuses a command it did not make", () => {
    expect(() => withPreparedDirectories({ command: ["claude"], args: [] }, "/h", "/w")).toThrow(/buildContainerCommand/);
  });
});
