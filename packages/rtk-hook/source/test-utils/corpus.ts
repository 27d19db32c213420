import { readFileSync } from "node:fs";
import { join } from "node:path";

// The captured corpus of real command outputs (corpus/capture.ts makes it): for the bench and
// for tests that check a filter against real output.

export type CorpusEntry = { id: string; family: string; split: "tuning" | "held-out"; command: string; exitStatus: number; bytes: number };

export const corpusDir = new URL("../../corpus/", import.meta.url).pathname;

export function readCorpus(): Array<CorpusEntry & { file: string; output: string }> {
  const entries = JSON.parse(readFileSync(join(corpusDir, "corpus.json"), "utf8")) as CorpusEntry[];
  return entries.map((entry) => {
    const file = join(corpusDir, "outputs", `${entry.id}.txt`);
    return { ...entry, file, output: readFileSync(file, "utf8") };
  });
}
