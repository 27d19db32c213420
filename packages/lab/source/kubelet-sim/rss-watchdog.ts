import { readFile } from "node:fs/promises";

// Memory limits where no memory cgroup can be made: poll the resident set of the
// container's process tree and SIGKILL it when over the limit, like the OOM killer would.
// Coarser than a cgroup (a fast allocation can overshoot between polls), so it is only
// the fallback.

const pageBytes = 4096;

export function watchRss(options: { rootPid: number; limitBytes: number; intervalMs?: number; onExceeded: () => void }): () => void {
  let stopped = false;
  const timer = setInterval(async () => {
    const rss = await treeRss(options.rootPid);
    if (!stopped && rss > options.limitBytes) {
      stopped = true;
      clearInterval(timer);
      options.onExceeded();
    }
  }, options.intervalMs ?? 250);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

async function treeRss(pid: number): Promise<number> {
  const statm = await readFile(`/proc/${pid}/statm`, "utf8").catch(() => "");
  let total = Number(statm.split(" ")[1] ?? 0) * pageBytes;
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
  for (const child of children.split(" ").filter(Boolean)) total += await treeRss(Number(child));
  return total;
}
