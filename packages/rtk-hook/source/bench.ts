// ./dev bench rtk-hook: what the model receives from the captured corpus of real command
// outputs (corpus/, see corpus/capture.ts) with and without the hook, measured with the real
// Claude Code CLI against the scripted model server: each output is replayed as a Bash call
// (`cat` of the file, then `exit N` with the command's real exit status, so failing commands
// take Claude's failure path). Then the latency the hook adds per call, and the rewrite's own
// overhead on a command.
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { runClaude, startModelServer, text, toolResults, toolUse } from "@claude-k8s/lab/source/model-server/index.ts";
import { hookAnswer, type PostToolUseEvent, parseHookEvent, type PreToolUseEvent, preToolUseAnswer } from "./hook-event.ts";
import { locateStylishProblems } from "./filters/eslint.ts";
import { importantLineFlags } from "./important-lines.ts";
import { stripAnsi } from "./terminal-text.ts";
import { builtBin } from "./test-utils/built-bin.ts";
import { type CorpusEntry, readCorpus } from "./test-utils/corpus.ts";
import { unfoldSimilarLines } from "./test-utils/unfold-similar-lines.ts";
import { utf8ByteLength } from "./utf8.ts";

const bin = builtBin();
const dir = mkdtempSync(join(tmpdir(), "rtk-hook-bench-"));
const latencyRuns = Number(process.env.RTK_BENCH_RUNS ?? 40);
/** RTK_BENCH_ONLY=bytes or =latency runs one half (the bytes half asks the real CLI three times; the latency half takes minutes on a loaded machine). */
const only = process.env.RTK_BENCH_ONLY;
/** The issue's targets. */
const targetShare = 0.6;
const targets = { hookP50: 40, hookP95: 80, wrapperP50: 10 };

type Item = CorpusEntry & { file: string; output: string };
type Config = { name: string; settings: string | undefined };

const settingsJson = (...flags: string[]) => execFileSync(process.execPath, [bin, "settings-json", "--command", `node ${bin}`, ...flags], { encoding: "utf8" });
const configs: Config[] = [
  { name: "no hook", settings: undefined },
  { name: "defaults", settings: settingsJson() },
  { name: "--max-bytes 5000", settings: settingsJson("--max-bytes", "5000") },
];

const replay = (item: Item) => `cat ${item.file}${item.exitStatus === 0 ? "" : `; exit ${item.exitStatus}`}`;

/** One CLI run that replays every item through Bash; returns the tool_result texts the model got, in order. */
async function modelReceives(items: Item[], config: Config): Promise<string[]> {
  const server = await startModelServer({ script: [...items.map((item) => toolUse("Bash", { command: replay(item) })), text("Done.")] });
  const home = mkdtempSync(join(dir, "home-"));
  try {
    const run = await runClaude({ baseUrl: server.url, prompt: "go", home, args: config.settings ? ["--settings", config.settings] : [], timeoutMs: 600_000, env: { CLAUDE_RTK_TEE_DIR: join(home, "tee") } });
    if (run.result?.is_error !== false) throw new Error(`claude run failed: ${run.stderr || JSON.stringify(run.result)}`);
    return toolResults(server.scriptedRequests().at(-1)!.body).map((result) => result.content);
  } finally {
    await server.close();
  }
}

// A minimal environment, as Claude Code gives its hooks and shell: no start-up files sourced
// through BASH_ENV or the like, which would time the machine's shell set-up instead.
// SHLVL too: bash whose stdin is a socket (Node's stdin pipe) and SHLVL unset believes it was
// started by a remote shell daemon and sources ~/.bashrc, which timed the machine's shell
// set-up (seconds) instead of the command.
const latencyEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/", TMPDIR: dir, SHLVL: "1" };

function spawnOnce(command: string, stdin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn("/bin/sh", ["-c", command], { stdio: ["pipe", "ignore", "inherit"], env: latencyEnv });
    child.on("error", reject);
    child.on("close", () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
    child.stdin.end(stdin);
  });
}

type Probe = { label: string; command: string; stdin?: string };

/**
 * Times every probe `latencyRuns` times, round-robin (one run of each, then the next round),
 * so that the baseline and what is compared with it see the same load on a shared machine.
 */
async function interleavedLatencies(probes: Probe[]): Promise<Map<string, number[]>> {
  const times = new Map(probes.map((probe) => [probe.label, [] as number[]]));
  for (let round = -3; round < latencyRuns; round += 1) {
    for (const probe of probes) {
      const elapsed = await spawnOnce(probe.command, probe.stdin ?? "");
      if (round >= 0) times.get(probe.label)!.push(elapsed); // the first rounds warm the page cache
    }
  }
  return times;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/**
 * The raw output's error/warning lines, as the hook counts them (a diff's content lines are
 * code, not errors), each with the other form it may reach the model in: an eslint problem
 * line with its file in front.
 */
function importantLines(output: string): Array<{ line: string; located: string | undefined }> {
  const lines = stripAnsi(output).split("\n");
  const flags = importantLineFlags(lines);
  const located = locateStylishProblems(lines);
  const seen = new Set<string>();
  return lines.flatMap((line, index) => {
    if (line.trim() === "" || !flags[index] || seen.has(line)) return [];
    seen.add(line);
    return [{ line, located: located[index] }];
  });
}

/** Error lines of the raw output found in what the model received (folded look-alikes count when their numbers are listed). */
function keptCount(lines: ReturnType<typeof importantLines>, received: string): number {
  const receivedLines = new Set(unfoldSimilarLines(stripAnsi(received).split("\n")));
  return lines.filter(({ line, located }) => receivedLines.has(line) || (located !== undefined && receivedLines.has(located))).length;
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const versus = (part: number, whole: number) => (part <= whole ? `${Math.round((1 - part / whole) * 100)}% fewer` : `${Math.round((part / whole - 1) * 100)}% more`);

/** A Bash call as Claude Code 2.1.330 runs it. */
// Single quotes all the way: a double-quoted script would have the outer shell expand the
// rewrite's own variables before bash ever ran it.
const asClaudeRuns = (command: string) => `bash -c ${shellQuoted(`eval ${shellQuoted(command)} < /dev/null && pwd -P >| ${join(dir, "cwd")}`)}`;
const shellQuoted = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

try {
  const corpus = readCorpus();
  if (only !== "latency") {
  const received = new Map<string, string[]>();
  for (const config of configs) {
    console.error(`asking the real CLI, ${config.name}: ${corpus.length} Bash calls...`);
    received.set(config.name, await modelReceives(corpus, config));
  }
  const rows = corpus.map((item, index) => {
    const important = importantLines(item.output);
    return {
      item,
      important: important.length,
      bytes: configs.map((config) => utf8ByteLength(received.get(config.name)![index]!)),
      kept: configs.map((config) => keptCount(important, received.get(config.name)![index]!)),
    };
  });

  console.log("\nBytes of the tool_result the model received, and error/warning lines kept (real Claude Code 2.1.330)\n");
  console.log(`| family | outputs | raw | ${configs.map((config) => config.name).join(" | ")} | error/warning lines: raw / ${configs.map((config) => config.name).join(" / ")} |`);
  console.log(`|---|---:|---:|${configs.map(() => "---:|").join("")}---:|`);
  const summarize = (label: string, selected: typeof rows) => {
    const sum = (pick: (row: (typeof rows)[number]) => number) => selected.reduce((total, row) => total + pick(row), 0);
    const without = sum((row) => row.bytes[0]!);
    const bytes = configs.map((_, at) => sum((row) => row.bytes[at]!));
    const kept = configs.map((_, at) => sum((row) => row.kept[at]!));
    const cells = bytes.map((value, at) => (at === 0 ? kb(value) : `${kb(value)} (${versus(value, without)})`));
    console.log(`| ${label} | ${selected.length} | ${kb(sum((row) => utf8ByteLength(row.item.output)))} | ${cells.join(" | ")} | ${sum((row) => row.important)} / ${kept.join(" / ")} |`);
    return { without, bytes, kept, important: sum((row) => row.important) };
  };
  const verdicts: string[] = [];
  for (const split of ["tuning", "held-out"] as const) {
    const inSplit = rows.filter((row) => row.item.split === split);
    for (const family of [...new Set(inSplit.map((row) => row.item.family))]) summarize(`${family} (${split})`, inSplit.filter((row) => row.item.family === family));
    const totals = summarize(`**${split} total**`, inSplit);
    for (const [at, config] of configs.entries()) {
      if (at === 0) continue;
      const share = 1 - totals.bytes[at]! / totals.without;
      const lost = totals.important - totals.kept[at]!;
      verdicts.push(`${split}, ${config.name}: ${share >= targetShare && lost === 0 ? "met" : "not met"} (${versus(totals.bytes[at]!, totals.without)} than no hook, ${lost === 0 ? "every error line kept" : `${lost} error lines lost`})`);
    }
  }
  const all = summarize("**all**", rows);
  console.log(`\nTarget, >= ${targetShare * 100}% fewer bytes than no hook with every error/warning line kept:`);
  for (const verdict of verdicts) console.log(`  ${verdict}`);
  console.log(`  all, defaults: ${versus(all.bytes[1]!, all.without)} than no hook, ${all.important - all.kept[1]!} error lines lost`);

  console.log("\nPer output (bytes the model received; error/warning lines kept)\n");
  console.log(`| output | split | exit | raw | ${configs.map((config) => config.name).join(" | ")} | error lines |`);
  console.log(`|---|---|---:|---:|${configs.map(() => "---:|").join("")}---:|`);
  for (const row of rows) {
    console.log(`| ${row.item.id} | ${row.item.split} | ${row.item.exitStatus} | ${kb(utf8ByteLength(row.item.output))} | ${row.bytes.map(kb).join(" | ")} | ${row.important} / ${row.kept.join(" / ")} |`);
  }

  }
  if (only !== "bytes") {
  // Latency: the hook bin as Claude spawns it, for a PreToolUse event and for PostToolUse
  // events of corpus outputs, against `node -e 0`; the rewrite's own overhead on a command,
  // against the bare command. All interleaved, so each pair saw the same machine load.
  console.error(`measuring latency (${latencyRuns} rounds)...`);
  const hook = `${process.execPath} ${bin}`;
  const wrap = (command: string) => {
    const answer = JSON.parse(preToolUseAnswer(parseHookEvent(JSON.stringify({ hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command } })) as PreToolUseEvent, hook).stdout);
    return answer.hookSpecificOutput.updatedInput.command as string;
  };
  const postEvent = (item: Item) => {
    const response = { stdout: item.output.slice(0, 30_000), stderr: "", interrupted: false, isImage: false, noOutputExpected: false };
    return JSON.stringify({ hook_event_name: "PostToolUse", tool_name: "Bash", tool_input: { command: "x" }, tool_response: response });
  };
  const small = corpus.find((item) => item.id === "git-show")!; // under the shell's 2048-byte fast path
  const large = corpus.find((item) => item.id === "vitest-fail")!;
  const postItems = ["git-status", "vitest-fail", "tsc-fail-pretty", "npm-view-json"].map((id) => corpus.find((item) => item.id === id)!);
  const probes: Probe[] = [
    { label: "node", command: `${process.execPath} -e 0` },
    { label: "pre", command: hook, stdin: JSON.stringify({ hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command: "npm test" }, tool_use_id: "toolu_bench" }) },
    ...postItems.map((item) => ({ label: `post ${item.id}`, command: hook, stdin: postEvent(item) })),
    { label: "small bare", command: asClaudeRuns(`cat ${small.file}`) },
    { label: "small wrapped", command: asClaudeRuns(wrap(`cat ${small.file}`)) },
    { label: "large bare", command: asClaudeRuns(`cat ${large.file}`) },
    { label: "large wrapped", command: asClaudeRuns(wrap(`cat ${large.file}`)) },
  ];
  const loadBefore = loadavg()[0]!;
  const times = await interleavedLatencies(probes);
  const loadAfter = loadavg()[0]!;
  const work = corpus.map((item) => {
    const event = parseHookEvent(JSON.stringify({ hook_event_name: "PostToolUse", tool_name: "Bash", tool_input: {}, tool_response: { stdout: item.output, stderr: "" } })) as PostToolUseEvent;
    const started = process.hrtime.bigint();
    hookAnswer(event, { fullOutputPath: "/tmp/x.log" });
    return Number(process.hrtime.bigint() - started) / 1e6;
  });

  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const nodeTimes = times.get("node")!;
  const preTimes = times.get("pre")!;
  const postTimes = postItems.flatMap((item) => times.get(`post ${item.id}`)!);
  const hookTimes = [...preTimes, ...postTimes];
  const p50 = (values: number[]) => percentile(values, 50);
  const p95 = (values: number[]) => percentile(values, 95);
  const against = (values: number[], baseline: number[]) => `${p50(values) - p50(baseline) >= 0 ? "+" : ""}${ms(p50(values) - p50(baseline))} (${(p50(values) / p50(baseline)).toFixed(2)}x)`;
  const row = (label: string, values: number[], baseline: number[] | undefined) =>
    console.log(`| ${label} | ${ms(p50(values))} | ${ms(p95(values))} | ${baseline ? against(values, baseline) : ""} |`);
  console.log(`\nLatency (${latencyRuns} interleaved rounds, ${process.version}, ${cpus().length} CPUs, load average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after)\n`);
  console.log("| what | p50 | p95 | p50 against its baseline |");
  console.log("|---|---:|---:|---:|");
  row("node -e 0 (baseline for the hook)", nodeTimes, undefined);
  row("hook, PreToolUse (the rewrite)", preTimes, nodeTimes);
  row(`hook, PostToolUse (${postItems.map((item) => item.id).join(", ")})`, postTimes, nodeTimes);
  row("hook, every call above", hookTimes, nodeTimes);
  row(`bare \`cat\` of ${small.id} (${kb(small.bytes)}), as Claude runs it`, times.get("small bare")!, undefined);
  row("the same, rewritten (printed by the shell, no Node)", times.get("small wrapped")!, times.get("small bare"));
  row(`bare \`cat\` of ${large.id} (${kb(large.bytes)})`, times.get("large bare")!, undefined);
  row("the same, rewritten (reduced by reduce-output)", times.get("large wrapped")!, times.get("large bare"));
  console.log(`\nThe reduction's own work in-process: median ${ms(percentile(work, 50))}, max ${ms(Math.max(...work))} over the corpus.`);
  const hookOwn = p50(hookTimes) - p50(nodeTimes);
  const smallOverhead = p50(times.get("small wrapped")!) - p50(times.get("small bare")!);
  const largeOverhead = p50(times.get("large wrapped")!) - p50(times.get("large bare")!);
  const verdict = (value: number, target: number) => (value < target ? "met" : "not met");
  console.log(`\nTargets (absolute figures depend on the machine; the baseline ran in the same rounds):`);
  console.log(`  hook p50 < ${targets.hookP50} ms: ${verdict(p50(hookTimes), targets.hookP50)} (${ms(p50(hookTimes))}; node -e 0 alone ${ms(p50(nodeTimes))}, the hook's own cost ${ms(hookOwn)})`);
  console.log(`  hook p95 < ${targets.hookP95} ms: ${verdict(p95(hookTimes), targets.hookP95)} (${ms(p95(hookTimes))}; node -e 0 alone ${ms(p95(nodeTimes))})`);
  console.log(`  wrapper overhead p50 < ${targets.wrapperP50} ms: small output ${verdict(smallOverhead, targets.wrapperP50)} (${ms(smallOverhead)}), reduced output ${verdict(largeOverhead, targets.wrapperP50)} (${ms(largeOverhead)}, one Node start-up included)`);
  }
  writeFileSync(join(dir, "done"), "");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
