import { describe, expect, it } from "vitest";
import type { JobLike } from "../kube-objects.ts";
import { fakeJobWatch, jobTableClient } from "../test-utils/fake-job-watch.ts";
import { waitForJobGone } from "./cleanup-run.ts";

const job: JobLike = { metadata: { namespace: "agents", name: "run-job", uid: "uid-1" } };
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("waitForJobGone", () => {
  it("does not call a Job the watch never showed gone while the API server still has it", async () => {
    const table = new Map([["run-job", job]]);
    const { watch } = fakeJobWatch();
    const { client } = jobTableClient(table);
    let done: boolean | undefined;
    const waiting = waitForJobGone({ client, jobs: watch, namespace: "agents", name: "run-job", uid: "uid-1", waitMs: 60_000 }).then((gone) => {
      done = gone;
      return gone;
    });
    await tick();
    expect(done).toBeUndefined();
    table.delete("run-job");
    expect(await waiting).toBe(true);
  });

  it("says gone on the watch's DELETED event without another request", async () => {
    const { watch, emit } = fakeJobWatch();
    const { client, requests } = jobTableClient(new Map());
    emit({ type: "ADDED", object: job });
    const waiting = waitForJobGone({ client, jobs: watch, namespace: "agents", name: "run-job", uid: "uid-1", waitMs: 60_000 });
    await tick();
    emit({ type: "DELETED", object: job });
    expect(await waiting).toBe(true);
    expect(requests).toEqual([]);
  });

  it("gives up (false) when the Job is still there after waitMs", async () => {
    const { watch, emit } = fakeJobWatch();
    const { client } = jobTableClient(new Map([["run-job", job]]));
    emit({ type: "ADDED", object: job });
    expect(await waitForJobGone({ client, jobs: watch, namespace: "agents", name: "run-job", uid: "uid-1", waitMs: 20 })).toBe(false);
  });
});
