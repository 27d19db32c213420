import type { CommandFilter } from "./command-filters.ts";

// Listings (find, grep -rl, ls -R, ls -l): one path per line repeats its directory on every
// line; ls -l repeats permissions, owner, group and date. A path whose directory is the
// previous path's is shown as `  name` under it; an `ls -l` line becomes `size name`.

const lsLong = /^[-dlcbps][rwxsStT-]{9}[.+@]?\s+\d+\s+\S+\s+\S+\s+(\d+(?:,\s*\d+)?)\s+\w{3}\s+\d{1,2}\s+(?:\d{1,2}:\d{2}|\d{4})\s(.+)$/;
const pathLine = /^\.?\.?\/?[\w@.+-]+(?:\/[\w@.+-]+)+\/?(?::\d+:.*)?$/;

const directoryOf = (line: string) => {
  const path = line.replace(/:\d+:.*$/, "");
  return path.slice(0, path.lastIndexOf("/") + 1);
};

export const listingFilter: CommandFilter = {
  name: "listing",
  detect: (lines) => {
    const nonEmpty = lines.filter((line) => line.trim() !== "");
    const listed = nonEmpty.filter((line) => lsLong.test(line) || pathLine.test(line) || /^total \d+$/.test(line) || /:$/.test(line)).length;
    return nonEmpty.length >= 20 && listed >= nonEmpty.length * 0.8;
  },
  apply: (lines) => {
    let previousDirectory = "";
    return lines.map((line) => {
      const long = lsLong.exec(line);
      if (long) return `${long[1]} ${long[2]}`;
      if (/^total \d+$/.test(line)) return null;
      if (!pathLine.test(line)) {
        previousDirectory = "";
        return undefined;
      }
      const directory = directoryOf(line);
      const sameDirectory = directory === previousDirectory;
      previousDirectory = directory;
      return sameDirectory ? `  ${line.slice(directory.length)}` : undefined;
    });
  },
  note: () => "[rtk-hook: listing shortened: a path in the same directory as the one above shows only its name, indented; ls -l lines show size and name]",
};
