export { hookAnswer, parseHookEvent, persistedOutputPath, type PostToolUseEvent, type PreToolUseEvent, preToolUseAnswer } from "./hook-event.ts";
export { importantLineFlags, isImportantLine } from "./important-lines.ts";
export { defaultInlineLimit, defaultMaxBytes, defaultPersistedMaxBytes, defaultTargetBytes, minimumBudget, type ReduceOptions } from "./options.ts";
export { reduceText, type ReduceTextOptions, type TextReduction } from "./reduce-text.ts";
export { reduceToolOutput } from "./reduce-tool-output.ts";
export { type Reduction, unchanged } from "./reduction.ts";
export { hookName, installHook, isRtkHookEntry, rtkHookGroup, settingsDocument, shellQuote, uninstallHook } from "./settings.ts";
export { utf8ByteLength, utf8Prefix, utf8Suffix } from "./utf8.ts";
export { type WrapDecision, wrapCommand } from "./wrap-command.ts";
