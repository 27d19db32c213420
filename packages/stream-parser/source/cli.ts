// The `claude-stream` bin: wires runCli to the process.
import { once } from "node:events";
import { runCli } from "./cli-run.ts";

// `claude-stream pretty big.jsonl | head` closes stdout early: that is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), {
  write: (text) => (process.stdout.write(text) ? undefined : once(process.stdout, "drain").then(() => undefined)),
  error: (text) => void process.stderr.write(text),
  stdin: process.stdin,
  isTTY: process.stdout.isTTY === true,
  env: process.env,
});
