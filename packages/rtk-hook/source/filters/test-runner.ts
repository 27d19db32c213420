import type { CommandFilter } from "./command-filters.ts";

// Test runners (node --test, vitest, jest, mocha, go test -v, pytest -v): the passing tests
// are the noise; the failures, their messages and the summary are the content.

const summary = [
  /^ℹ (?:tests|pass|fail) \d+/, // node --test
  /^\s*Test Files\s+\d+/, // vitest
  /^Tests:\s+\d+/, // jest
  /^\s*\d+ passing \(/, // mocha
  /^(?:ok|FAIL|PASS)\s+\S+\s+[\d.]+s$|^--- (?:PASS|FAIL): /, // go test
  /^=+ .*\b(?:passed|failed|no tests ran)\b.* in [\d.]+s/, // pytest
];

const passing = [
  /^\s*[✔✓√] /, // node --test spec, vitest verbose, jest verbose
  /^\s*ok \d+ - /, // TAP
  /^=== (?:RUN|PAUSE|CONT)\s/, // go test -v
  /^\s*--- PASS: /,
  /^\S+::\S+ PASSED\b/, // pytest -v
];

export const testRunnerFilter: CommandFilter = {
  name: "test runner",
  detect: (lines) => lines.some((line) => summary.some((pattern) => pattern.test(line))),
  apply: (lines) => lines.map((line) => (passing.some((pattern) => pattern.test(line)) ? null : undefined)),
  note: (dropped) => `[rtk-hook: ${dropped} lines of passing tests not shown]`,
};
