import { describe, expect, it } from "vitest";
import type { PodVerdict } from "../decisions/classify-pod-status.ts";
import type { JobLike } from "../kube-objects.ts";
import { fakeJobWatch, jobTableClient } from "../test-utils/fake-job-watch.ts";
import { reconcileRun } from "./reconcile-run.ts";
import { Wakeup } from "./wakeup.ts";

const ref = { namespace: "agents", name: "run-job", uid: "uid-1" };
const job = (extra: Partial<NonNullable<JobLike["metadata"]>> = {}): JobLike => ({ metadata: { namespace: ref.namespace, name: ref.name, uid: ref.uid, ...extra }, status: { active: 1 } });
const terminated: PodVerdict = { kind: "terminated", exitCode: 0, reason: "Completed", message: "", oomKilled: false };
const tick = () => new Promise((resolve) => setImmediate(resolve));

function setup(table: Map<string, JobLike>) {
  const { watch, emit } = fakeJobWatch();
  const { client, requests } = jobTableClient(table);
  const wakeup = new Wakeup();
  const controller = new AbortController();
  let pod: PodVerdict | undefined;
  const start = (extra: { lastRead?: JobLike } = {}) =>
    reconcileRun({ client, job: ref, jobs: watch, pod: () => pod, wakeup, deadlineAt: undefined, signal: controller.signal, ...extra });
  const setPod = (verdict: PodVerdict) => {
    pod = verdict;
    wakeup.wake();
  };
  return { emit, requests, start, setPod, controller };
}

describe("reconcileRun", () => {
  it("follows a Job the lagging watch has not shown yet (a fresh GET finds it) to its container's end", async () => {
    const { requests, start, setPod } = setup(new Map([[ref.name, job()]]));
    const settled = start();
    await tick();
    expect(requests).toEqual([`GET /apis/batch/v1/namespaces/agents/jobs/run-job`]);
    setPod(terminated);
    expect(await settled).toMatchObject({ why: "container-ended", exit: { exitCode: 0 } });
    expect(requests).toHaveLength(1);
  });

  it("needs no GET when the create's answer is known, and settles as cancelled on abort", async () => {
    const { requests, start, controller } = setup(new Map());
    const settled = start({ lastRead: job() });
    await tick();
    controller.abort();
    expect(await settled).toEqual({ why: "cancelled" });
    expect(requests).toEqual([]);
  });

  it("settles as deleted when the watch reports the delete and a fresh GET confirms it", async () => {
    const table = new Map([[ref.name, job()]]);
    const { emit, requests, start } = setup(table);
    emit({ type: "ADDED", object: job() });
    const settled = start();
    await tick();
    expect(requests).toEqual([]);
    table.delete(ref.name);
    emit({ type: "DELETED", object: job() });
    expect(await settled).toEqual({ why: "job-deleted" });
    expect(requests).toHaveLength(1);
  });

  it("takes another Job of the same name (new UID) for its own Job gone", async () => {
    const { start } = setup(new Map([[ref.name, job({ uid: "uid-2" })]]));
    expect(await start()).toEqual({ why: "job-deleted" });
  });

  it("keeps following when the watch shows a delete the API server does not (a stale event), reading again only on the next change", async () => {
    const table = new Map([[ref.name, job()]]);
    const { emit, requests, start, setPod } = setup(table);
    emit({ type: "ADDED", object: job({ deletionTimestamp: "2026-12-07T12:00:00Z" }) });
    const settled = start();
    await tick();
    expect(requests).toHaveLength(1);
    setPod({ kind: "running" });
    await tick();
    expect(requests).toHaveLength(1);
    setPod(terminated);
    expect(await settled).toMatchObject({ why: "container-ended" });
  });
});
