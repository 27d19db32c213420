import type { CommandFilter } from "./command-filters.ts";

// Package installs (npm, pnpm, apt-get, pip): progress and per-download lines are the noise;
// warnings, errors and the final summary are the content.

const progress = [
  /^npm (?:http|timing|verb|info|sill) /,
  /^Progress: resolved \d+/, // pnpm
  /^(?:Get|Hit|Ign):\d+ /, // apt-get
  /^(?:Selecting previously unselected package|Preparing to unpack|Unpacking|Setting up|Processing triggers for) /,
  /^\(Reading database \.\.\./,
  /^(?:Inst|Conf) \S+ /, // apt-get -s
  /^\s*(?:Downloading|Collecting|Using cached) \S+/, // pip
];

export const installFilter: CommandFilter = {
  name: "package install",
  detect: (lines) => lines.filter((line) => progress.some((pattern) => pattern.test(line))).length >= 5,
  apply: (lines) => lines.map((line) => (progress.some((pattern) => pattern.test(line)) ? null : undefined)),
  note: (dropped) => `[rtk-hook: ${dropped} progress lines of the install not shown]`,
};
