// ./dev bench stream-parser (node source/bench.ts): parser + summary against the naive way
// (read everything into one string, split lines, JSON.parse every line), in the same run.
//
// Every variant runs in its own child process, so each peak-RSS figure is that variant's alone.
// Inputs: long-300-turns.jsonl (14.8 MB, read from the file), and streams synthesised from it
// on the fly (fresh uuids, 64 KiB chunks, never held in memory) of 64 MiB, 256 MiB and 1 GiB.
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createStreamParser } from "./parser.ts";
import { longFixturePath, synthesiseLongTranscript } from "./test-utils/fixtures.ts";

const CHUNK = 64 * 1024;
const MiB = 1024 * 1024;
const FILE_ROUNDS = 22; // the first 2 warm up
const FILE_PASSES = 3;
const self = fileURLToPath(import.meta.url);

interface Measurement {
  variant: string;
  input: string;
  bytes: number;
  seconds: number | null;
  lines: number | null;
  peakRssGrowth: number;
  /** Heap still in use after a full GC at the end, over the same figure before the run. */
  retainedHeap: number | null;
  error?: string;
}

// ---------------------------------------------------------------- children

// Peak RSS of the synthetic variants is sampled at every chunk (and every 256 lines of the naive
// parse): the process's lifetime maximum would also count loading the templates and the warm-up.
let sampledPeak = 0;
function sampleRss(): void {
  const rss = process.memoryUsage.rss();
  if (rss > sampledPeak) sampledPeak = rss;
}

/** The file read in 64 KiB chunks into one reused buffer (the parser copies what it keeps). */
function parseFile(path: string, readData: boolean): number {
  const parser = createStreamParser();
  const buffer = new Uint8Array(CHUNK);
  const fd = openSync(path, "r");
  let count = 0;
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK, null);
      if (read === 0) break;
      for (const event of parser.write(buffer.subarray(0, read))) {
        count++;
        // What a consumer that needs every event's JSON (pretty, a UI) pays.
        if (readData && "data" in event) void event.data;
      }
    }
  } finally {
    closeSync(fd);
  }
  count += parser.end().length;
  if (parser.summary().result === null) throw new Error("no result event: the input was not read whole");
  return count;
}

function naiveFile(path: string): number {
  const lines = readFileSync(path, "utf8").split("\n");
  let count = 0;
  for (const line of lines) {
    if (!line) continue;
    JSON.parse(line);
    count++;
  }
  return count;
}

/** The long transcript's lines, with each top-level uuid cut out so fresh ones can be put in. */
interface Templates {
  first: string;
  middle: Array<[string, string] | string>;
  last: string;
}

function templates(path: string): Templates {
  const lines = readFileSync(path, "utf8").split("\n").filter(Boolean);
  const cut = (line: string): [string, string] | string => {
    const uuid = (JSON.parse(line) as { uuid?: unknown }).uuid;
    if (typeof uuid !== "string") return line;
    const at = line.lastIndexOf(`"uuid":"${uuid}"`) + '"uuid":"'.length;
    return [line.slice(0, at), line.slice(at + uuid.length)];
  };
  return { first: lines[0]!, middle: lines.slice(1, -1).map(cut), last: lines.at(-1)! };
}

/** About `total` bytes of stream-json in 64 KiB chunks: init, the middle turns repeated with fresh uuids, the result. */
function* synthesise({ first, middle, last }: Templates, total: number): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  const chunk = new Uint8Array(CHUNK);
  let filled = 0;
  let produced = 0;
  let serial = 0;
  function* put(text: string): Generator<Uint8Array> {
    let rest = text;
    while (rest.length > 0) {
      const { read, written } = encoder.encodeInto(rest, chunk.subarray(filled));
      filled += written;
      rest = rest.slice(read);
      if (filled === CHUNK) {
        sampleRss();
        yield chunk; // the consumer is done with it before the next one is written
        produced += CHUNK;
        filled = 0;
      }
    }
  }
  yield* put(`${first}\n`);
  const end = total - last.length - 1;
  for (let i = 0; produced + filled < end; i = (i + 1) % middle.length) {
    const line = middle[i]!;
    if (typeof line === "string") yield* put(`${line}\n`);
    else yield* put(`${line[0]}00000000-0000-4000-8000-${(serial++).toString(16).padStart(12, "0")}${line[1]}\n`);
  }
  yield* put(`${last}\n`);
  if (filled > 0) yield chunk.subarray(0, filled);
}

type AtEnd = () => void;

function parseSynthetic(input: Templates, total: number, atEnd: AtEnd): { lines: number; bytes: number } {
  const parser = createStreamParser();
  let lines = 0;
  let bytes = 0;
  for (const chunk of synthesise(input, total)) {
    bytes += chunk.length;
    lines += parser.write(chunk).length;
  }
  lines += parser.end().length;
  if (parser.summary().result === null) throw new Error("no result event: the stream was not read whole");
  atEnd(); // the parser and its summary are still alive here
  return { lines, bytes };
}

function naiveSynthetic(input: Templates, total: number, atEnd: AtEnd): { lines: number; bytes: number } {
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  try {
    for (const chunk of synthesise(input, total)) {
      bytes += chunk.length;
      text += decoder.decode(chunk, { stream: true });
    }
    text += decoder.decode();
  } catch (error) {
    throw new Error(`after ${(bytes / MiB).toFixed(0)} MiB: ${(error as Error).message}`);
  }
  let lines = 0;
  for (const line of text.split("\n")) {
    if (!line) continue;
    JSON.parse(line);
    if (++lines % 256 === 0) sampleRss();
  }
  sampleRss();
  atEnd(); // `text` is used below, so it is still alive here
  return { lines, bytes: text.length === 0 ? 0 : bytes };
}

function generateOnly(input: Templates, total: number, atEnd: AtEnd): { lines: number; bytes: number } {
  let bytes = 0;
  for (const chunk of synthesise(input, total)) bytes += chunk.length;
  atEnd();
  return { lines: 0, bytes };
}

async function child(variant: string, path: string, total: number): Promise<Measurement> {
  const input = total ? `synthetic ${total / MiB} MiB` : "long-300-turns.jsonl";
  const result: Measurement = { variant, input, bytes: 0, seconds: null, lines: null, peakRssGrowth: 0, retainedHeap: null };
  try {
    if (total === 0) {
      const baseline = process.memoryUsage.rss();
      const bytes = readFileSync(path).length;
      const times: number[] = [];
      let lines = 0;
      for (let round = 0; round < FILE_ROUNDS; round++) {
        const started = process.hrtime.bigint();
        lines = variant === "naive" ? naiveFile(path) : parseFile(path, variant === "parser+data");
        if (round >= 2) times.push(Number(process.hrtime.bigint() - started) / 1e9);
      }
      times.sort((a, b) => a - b);
      Object.assign(result, { bytes, lines, seconds: times[Math.floor(times.length / 2)]! });
      result.peakRssGrowth = process.resourceUsage().maxRSS * 1024 - baseline;
    } else {
      // Every synthetic variant holds the long transcript's lines (the generator's templates);
      // they are loaded, and the code warmed up on 16 MiB, before the baseline is taken.
      const lines = templates(path);
      const run = variant === "naive" ? naiveSynthetic : variant === "generator" ? generateOnly : parseSynthetic;
      run(lines, 16 * MiB, () => {});
      const gc = globalThis.gc!;
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      const baseline = process.memoryUsage.rss();
      sampledPeak = baseline;
      const started = process.hrtime.bigint();
      try {
        let ended = 0n;
        const counted = run(lines, total, () => {
          ended = process.hrtime.bigint();
          sampleRss();
          gc();
          result.retainedHeap = process.memoryUsage().heapUsed - heapBefore;
        });
        Object.assign(result, { bytes: counted.bytes, lines: counted.lines, seconds: Number(ended - started) / 1e9 });
      } finally {
        sampleRss();
        result.peakRssGrowth = sampledPeak - baseline;
      }
    }
  } catch (error) {
    result.error = (error as Error).message;
  }
  return result;
}

// ---------------------------------------------------------------- parent

function measure(variant: string, path: string, total: number, nodeFlags: string[] = []): Measurement {
  const out = execFileSync(process.execPath, ["--expose-gc", ...nodeFlags, self, "--child", variant, path, String(total)], { encoding: "utf8", maxBuffer: 1024 * 1024 });
  const measurement = JSON.parse(out.trim().split("\n").at(-1)!) as Measurement;
  if (nodeFlags.length > 0) measurement.variant += ` (node ${nodeFlags.join(" ")})`;
  return measurement;
}

async function main(): Promise<void> {
  if (process.argv[2] === "--child") {
    const [, , , variant, path, total] = process.argv;
    console.log(JSON.stringify(await child(variant!, path!, Number(total))));
    return;
  }
  let path = longFixturePath;
  if (!existsSync(path)) {
    path = join(mkdtempSync(join(tmpdir(), "stream-parser-bench-")), "long.jsonl");
    writeFileSync(path, synthesiseLongTranscript(300));
    console.log(`${longFixturePath} is absent: measuring a long transcript synthesised from the committed fixtures instead (${path}).`);
  }
  console.log(`input: ${path}\n`);

  // The machine is shared: the three variants take turns, three times, and each keeps the
  // median of its three runs (each run itself the median of its rounds).
  const variants = ["naive", "parser", "parser+data"];
  const runs = new Map<string, Measurement[]>(variants.map((variant) => [variant, []]));
  for (let pass = 0; pass < FILE_PASSES; pass++) for (const variant of variants) runs.get(variant)!.push(measure(variant, path, 0));
  const file = variants.map((variant) => {
    const sorted = runs.get(variant)!.sort((a, b) => (a.seconds ?? 0) - (b.seconds ?? 0));
    return { ...sorted[Math.floor(sorted.length / 2)]!, peakRssGrowth: Math.max(...sorted.map((m) => m.peakRssGrowth)) };
  });
  const naive = file[0]!;
  console.log(`| ${(naive.bytes / 1e6).toFixed(1)} MB file (median of ${FILE_PASSES} processes x ${FILE_ROUNDS - 2} rounds) | MB/s | vs naive | events | peak RSS growth |`);
  console.log("|---|---|---|---|---|");
  const labels: Record<string, string> = {
    naive: "naive: one string, split, JSON.parse every line",
    parser: "createStreamParser + summary (64 KiB chunks)",
    "parser+data": "the same, reading every event's `data`",
    generator: "generator alone (cost of making the input)",
  };
  for (const m of file) {
    const speed = m.seconds ? m.bytes / 1e6 / m.seconds : 0;
    const naiveSpeed = naive.seconds ? naive.bytes / 1e6 / naive.seconds : 0;
    console.log(`| ${labels[m.variant]} | ${speed.toFixed(0)} | ${(speed / naiveSpeed).toFixed(2)}x | ${m.lines} | ${mib(m.peakRssGrowth)} |`);
  }

  const synthetic: Measurement[] = [];
  for (const total of [64 * MiB, 256 * MiB, 1024 * MiB, 4096 * MiB, 8192 * MiB]) {
    if (total <= 1024 * MiB) synthetic.push(measure("generator", path, total));
    synthetic.push(measure("parser", path, total));
    // Peak RSS of a fast allocator is mostly V8's young generation, which V8 grows (to 2 x
    // --max-semi-space-size) when allocation is fast, whatever the program keeps.
    if (total <= 4096 * MiB) synthetic.push(measure("parser", path, total, ["--max-semi-space-size=4"]));
    if (total === 256 * MiB || total === 1024 * MiB) synthetic.push(measure("naive", path, total));
  }
  console.log("\n| synthetic stream (fresh uuids, 64 KiB chunks) | variant | MB/s incl. generating | events | peak RSS growth | heap retained after GC | result |");
  console.log("|---|---|---|---|---|---|---|");
  for (const m of synthetic) {
    const speed = m.seconds && !m.error ? (m.bytes / 1e6 / m.seconds).toFixed(0) : "-";
    const retained = m.retainedHeap === null ? "-" : mib(m.retainedHeap);
    const label = labels[m.variant.split(" (")[0]!]! + (m.variant.includes(" (") ? m.variant.slice(m.variant.indexOf(" (")) : "");
    console.log(`| ${m.input} | ${label} | ${speed} | ${m.lines ?? "-"} | ${mib(m.peakRssGrowth)} | ${retained} | ${m.error ? `failed: ${m.error}` : "ok"} |`);
  }
}

function mib(bytes: number): string {
  return `${(Math.max(0, bytes) / MiB).toFixed(1)} MiB`;
}

await main();
