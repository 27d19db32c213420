import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isImportantLine } from "../important-lines.ts";
import { stripAnsi } from "../terminal-text.ts";
import { readCorpus } from "../test-utils/corpus.ts";
import { filterCommandOutput } from "./command-filters.ts";
import { locateStylishProblems } from "./eslint.ts";

const lines = (...text: string[]) => text.join("\n");
const importantIn = (text: string) => text.split("\n").filter(isImportantLine);
/** The input's error/warning lines as the filter must give them back: as they were, or (eslint) with their file in front. */
function expectedImportant(text: string, filter: string | undefined): string[] {
  const all = text.split("\n");
  const located = filter === "eslint" ? locateStylishProblems(all) : [];
  return all.flatMap((line, index) => (isImportantLine(line) ? [located[index] ?? line] : []));
}

describe("filterCommandOutput: test runners", () => {
  it("drops node --test's passing tests, keeps failures and the summary", () => {
    const passing = Array.from({ length: 5 }, (_, n) => `✔ adds case ${n} (0.1ms)`);
    const output = lines(...passing, "✖ divides (1.2ms)", "  AssertionError [ERR_ASSERTION]: 1 !== 2", "ℹ tests 6", "ℹ pass 5", "ℹ fail 1");
    expect(filterCommandOutput(output)).toEqual({
      text: lines("[rtk-hook: 5 lines of passing tests not shown]", "✖ divides (1.2ms)", "  AssertionError [ERR_ASSERTION]: 1 !== 2", "ℹ tests 6", "ℹ pass 5", "ℹ fail 1"),
      filter: "test runner",
      droppedLines: 5,
    });
  });

  it("drops go test -v's RUN and PASS lines", () => {
    const output = lines("=== RUN   TestA", "--- PASS: TestA (0.00s)", "=== RUN   TestB", "    b_test.go:9: Parse(\"4\") = 4, want 5", "--- FAIL: TestB (0.00s)", "FAIL", "FAIL\texample.test/parse\t0.004s");
    expect(filterCommandOutput(output).text).toBe(lines("[rtk-hook: 3 lines of passing tests not shown]", "    b_test.go:9: Parse(\"4\") = 4, want 5", "--- FAIL: TestB (0.00s)", "FAIL", "FAIL\texample.test/parse\t0.004s"));
  });

  it("drops pytest -v's PASSED lines", () => {
    const passing = Array.from({ length: 4 }, (_, n) => `test_a.py::test_${n} PASSED   [ ${n * 20}%]`);
    const output = lines(...passing, "test_a.py::test_two FAILED   [100%]", "=========== 1 failed, 4 passed in 0.02s ===========");
    expect(filterCommandOutput(output).text).toBe(lines("[rtk-hook: 4 lines of passing tests not shown]", "test_a.py::test_two FAILED   [100%]", "=========== 1 failed, 4 passed in 0.02s ==========="));
  });
});

describe("filterCommandOutput: other tools", () => {
  it("drops npm's per-request lines", () => {
    const fetches = Array.from({ length: 6 }, (_, n) => `npm http fetch GET 200 https://registry.npmjs.org/p${n} 12ms (cache miss)`);
    const output = lines(...fetches, "npm warn deprecated request@2.88.2: request has been deprecated", "added 6 packages in 2s");
    expect(filterCommandOutput(output).text).toBe(lines("[rtk-hook: 6 progress lines of the install not shown]", "npm warn deprecated request@2.88.2: request has been deprecated", "added 6 packages in 2s"));
  });

  it("drops tsc --pretty's code frames, keeping every error line", () => {
    const frame = (line: number) => ["", `${line} export const value${line}: number = "some string that does not fit";`, "                               ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~", ""];
    const error = (line: number) => `main.ts:${line}:31 - error TS2322: Type 'string' is not assignable to type 'number'.`;
    const output = lines(error(3), ...frame(3), error(4), ...frame(4), "Found 2 errors in the same file, starting at: main.ts:3");
    expect(filterCommandOutput(output).text).toBe(
      lines(error(3), "[rtk-hook: 8 lines of tsc code frames not shown; the lines above and below name file:line:column]", error(4), "Found 2 errors in the same file, starting at: main.ts:3"),
    );
  });

  it("drops git status hints", () => {
    const output = lines("On branch main", "Changes not staged for commit:", '  (use "git add <file>..." to update what will be committed)', "\tmodified:   a.ts");
    expect(filterCommandOutput(output).text).toBe(lines("On branch main", "Changes not staged for commit:", "[rtk-hook: 1 git hint and blob-id lines not shown]", "\tmodified:   a.ts"));
  });

  it("shortens listings: paths in the same directory, ls -l columns", () => {
    const paths = Array.from({ length: 25 }, (_, n) => `packages/a/source/file${n}.ts`);
    const found = filterCommandOutput(lines(...paths)).text.split("\n");
    expect(found.slice(0, 3)).toEqual(["packages/a/source/file0.ts", "[rtk-hook: listing shortened: a path in the same directory as the one above shows only its name, indented; ls -l lines show size and name]", "  file1.ts"]);
    const long = Array.from({ length: 25 }, (_, n) => `-rw-r--r-- 1 root root ${1000 + n} Dec  7 21:00 file${n}.js`);
    expect(filterCommandOutput(lines("total 100", ...long)).text.split("\n").slice(0, 3)).toEqual([expect.stringContaining("listing shortened"), "1000 file0.js", "1001 file1.js"]);
  });

  it("puts eslint's file in front of each of its problem lines, and drops the file lines", () => {
    const output = lines("", "/work/src/a.js", "   3:7   error    'x' is not defined      no-undef", "  12:1   warning  Unexpected var          no-var", "", "/work/src/b.js", "  1:1  error  Parsing error: Unexpected token", "", "✖ 3 problems (2 errors, 1 warning)", "");
    expect(filterCommandOutput(output)).toEqual({
      text: lines(
        "[rtk-hook: eslint's file lines moved into each problem line (file:line:col); 5 file and blank lines not shown]",
        "/work/src/a.js:3:7   error    'x' is not defined      no-undef",
        "/work/src/a.js:12:1   warning  Unexpected var          no-var",
        "/work/src/b.js:1:1  error  Parsing error: Unexpected token",
        "✖ 3 problems (2 errors, 1 warning)",
        "",
      ),
      filter: "eslint",
      droppedLines: 5,
    });
  });

  it("leaves output no filter recognises alone", () => {
    expect(filterCommandOutput("hello\nworld")).toEqual({ text: "hello\nworld", filter: undefined, droppedLines: 0 });
  });
});

describe("filterCommandOutput on the captured corpus of real outputs", () => {
  const corpus = readCorpus();
  it.each(corpus.map((entry) => [entry.id, entry] as const))("%s: every error/warning line kept, in order", (_id, entry) => {
    const text = stripAnsi(entry.output);
    const result = filterCommandOutput(text);
    expect(importantIn(result.text)).toEqual(expectedImportant(text, result.filter));
  });

  it.each([
    ["node-test-pass", "test runner"],
    ["vitest-fail", "test runner"],
    ["go-test-pass", "test runner"],
    ["pytest-pass", "test runner"],
    ["tsc-fail-pretty", "tsc"],
    ["eslint-warnings", "eslint"],
    ["npm-install", "package install"],
    ["git-status", "git"],
    ["find", "listing"],
    ["grep-r", "listing"],
    ["ls-lR", "listing"],
  ])("%s is recognised by the %s filter, which makes it shorter", (id, filter) => {
    const entry = corpus.find((candidate) => candidate.id === id)!;
    const text = stripAnsi(entry.output);
    const result = filterCommandOutput(text);
    expect(result.filter).toBe(filter);
    // eslint's gets longer (a file name on every problem line) and then folds far better.
    if (filter !== "eslint") expect(result.text.length).toBeLessThan(text.length);
  });
});

describe("filterCommandOutput, property: any error/warning line of the input is in the output", () => {
  const noise = fc.constantFrom(
    "✔ passes (0.1ms)",
    "ℹ tests 12",
    "=== RUN   TestX",
    "--- PASS: TestX (0.00s)",
    "a_test.py::test_x PASSED",
    "npm http fetch GET 200 https://r.test/x 3ms",
    "Get:1 http://deb.test bookworm/main amd64 x 1.0 [10 kB]",
    "Setting up x (1.0) ...",
    "On branch main",
    '  (use "git add <file>..." to update what will be committed)',
    "index 1234567..89abcde 100644",
    "src/a.ts:1:2 - error TS2304: Cannot find name 'x'.",
    "12 const x = y;",
    "   ~~~~",
    "-rw-r--r-- 1 root root 10 Dec  7 21:00 a.js",
    "packages/a/source/x.ts",
    "packages/a/source/y.ts:3:export function y() {}",
    "total 12",
    "src/lint.js",
    "  3:7  error  'x' is not defined  no-undef",
    "  12:1  warning  Unexpected var  no-var",
    "✖ 2 problems (1 error, 1 warning)",
    "",
  );
  const important = fc.tuple(fc.constantFrom("error:", "FAIL", "✖ fails", "warning:", "npm warn", "packages/a/errors.ts", "E   assert 1 == 2", "    at f (a.js:1:2)"), fc.string({ maxLength: 20 })).map(([head, tail]) => `${head} ${tail}`);

  it("holds for any mix of the filters' noise, arbitrary lines and error lines", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 6, arbitrary: noise }, { weight: 2, arbitrary: important }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) }), { maxLength: 200 }), (mix) => {
        const text = mix.join("\n");
        const result = filterCommandOutput(text);
        expect(importantIn(result.text)).toEqual(expectedImportant(text, result.filter));
      }),
      { numRuns: 300 },
    );
  });
});
