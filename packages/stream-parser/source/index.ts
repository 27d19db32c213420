export { createStreamParser, DEFAULT_MAX_LINE_BYTES } from "./parser.ts";
export type { StreamParser, StreamParserOptions } from "./parser.ts";
export type { Chunk } from "./line-splitter.ts";
export { createSummarizer, summarize } from "./summary.ts";
export type {
  ApiErrorMessage,
  ApiRetries,
  ModelUsage,
  PermissionDenial,
  RateLimitNotice,
  ResultFacts,
  RunSummary,
  Summarizer,
  TokenUsage,
} from "./summary.ts";
export { classifyOutcome } from "./outcome.ts";
export type { ErrorFamily, Outcome, OutcomeCode, OutcomeInput } from "./outcome.ts";
export { createDeduper, DEFAULT_DEDUPE_WINDOW } from "./deduper.ts";
export type { Deduper, DeduperOptions } from "./deduper.ts";
export { parseStdoutLine, toTranscriptEntries } from "./transcript.ts";
export type { TranscriptEntry } from "./transcript.ts";
export { findLoginUrl } from "./login-url.ts";
export type * from "./events.ts";
export { formatEvent, type PrettyOptions } from "./pretty.ts";
