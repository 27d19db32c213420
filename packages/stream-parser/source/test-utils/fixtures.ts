// Test and bench helpers: the recorded Claude Code transcripts, and the long one kept apart.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";

export const packageDir = path.resolve(import.meta.dirname, "../..");
export const fixturesDir = path.join(packageDir, "test", "fixtures");
export const repoRoot = path.resolve(packageDir, "../..");
/** long-300-turns.jsonl (14.8 MB, a real 300-turn recording), apart from the small fixtures that every-fixture tests iterate. */
export const longFixturePath = path.join(packageDir, "test", "long", "long-300-turns.jsonl");

/** Names (without .jsonl) of every committed fixture. */
export function fixtureNames(): string[] {
  return readdirSync(fixturesDir)
    .filter((file) => file.endsWith(".jsonl"))
    .map((file) => file.slice(0, -".jsonl".length))
    .sort();
}

export function readFixture(name: string): Buffer {
  return readFileSync(path.join(fixturesDir, `${name}.jsonl`));
}

export function fixtureExitCode(name: string): number {
  return Number(readFileSync(path.join(fixturesDir, `${name}.exit`), "utf8").trim());
}

export function fixtureStderr(name: string): string {
  const file = path.join(fixturesDir, `${name}.stderr`);
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}

/**
 * The long transcript: the real 300-turn recording when it is there; otherwise one built from
 * the committed fixtures (tool-then-text's turns repeated with fresh uuids), after saying why.
 */
export function longTranscript(): { bytes: Buffer; source: string } {
  if (existsSync(longFixturePath)) return { bytes: readFileSync(longFixturePath), source: longFixturePath };
  console.warn(`${longFixturePath} is absent: using a long transcript synthesised from the committed fixtures instead.`);
  return { bytes: Buffer.from(synthesiseLongTranscript(300)), source: "synthetic (tool-then-text x 300)" };
}

/** init, then `turns` copies of tool-then-text's middle events with fresh uuids, then its result. */
export function synthesiseLongTranscript(turns: number): string {
  const lines = readFixture("tool-then-text").toString("utf8").split("\n").filter(Boolean);
  const [init, ...rest] = lines;
  const result = rest.pop()!;
  const middle = rest;
  const out = [init];
  for (let turn = 0; turn < turns; turn++) {
    for (const line of middle) out.push(withUuid(line, `00000000-0000-4000-8000-${String(turn * 1000 + out.length).padStart(12, "0")}`));
  }
  out.push(result);
  return `${out.join("\n")}\n`;
}

function withUuid(line: string, uuid: string): string {
  const event = JSON.parse(line) as { uuid?: string };
  return event.uuid ? line.replace(`"uuid":"${event.uuid}"`, `"uuid":"${uuid}"`) : line;
}
