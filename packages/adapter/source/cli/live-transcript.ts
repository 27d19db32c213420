import { createStreamParser, formatEvent } from "@claude-k8s/stream-parser";

/**
 * Renders what execute() streams to onLog for a person: stream-json lines as a readable
 * transcript, the adapter's own status lines dimmed, and a heartbeat when nothing has
 * been printed for a while, so a long wait (scheduling, an image pull) is never silent.
 */
export function liveTranscript(write: (text: string) => void, options: { color: boolean; quietNoticeMs?: number }) {
  const parser = createStreamParser();
  const dim = (text: string) => (options.color ? `\u001b[2m${text}\u001b[0m` : text);
  let lastOutput = Date.now();
  const started = Date.now();
  const quietMs = options.quietNoticeMs ?? 20_000;
  const heartbeat = setInterval(() => {
    if (Date.now() - lastOutput < quietMs) return;
    write(`${dim(`… still running (${Math.round((Date.now() - started) / 1000)} s so far, nothing new for ${Math.round((Date.now() - lastOutput) / 1000)} s)`)}\n`);
    lastOutput = Date.now();
  }, 1000);
  heartbeat.unref();
  return {
    onLog: async (_stream: string, chunk: string) => {
      lastOutput = Date.now();
      if (chunk.startsWith("[claude-k8s] ")) {
        write(`${dim(chunk.trimEnd())}\n`);
        return;
      }
      for (const event of parser.write(chunk)) for (const line of formatEvent(event, { color: options.color })) write(`${line}\n`);
    },
    stop: () => clearInterval(heartbeat),
  };
}
