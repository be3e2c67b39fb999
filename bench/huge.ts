// Part 3: one thread of 10,000 messages through the backfill, on a fresh `wrangler dev` so the
// Worker process's peak resident memory (VmHWM) belongs to this migration alone.
import type { FakeOpenAI } from "../test/fake-openai/index";
import { runBackfill, seedThreads, type BackfillResult } from "./backfill";
import { Inspector } from "./inspector";
import { instanceProcesses, memory, type FerryInstance } from "./stack";

export interface Memory {
  /** The workerd process that runs ferry (its isolate, and the local D1 and queue simulators). */
  workerPid: number | null;
  idleRss: number | null;
  /** VmHWM before the migration (start-up included) and after it. */
  hwmBefore: number | null;
  hwmAfter: number | null;
  /** Highest VmRSS sampled during the migration. */
  peakRss: number | null;
  /**
   * V8 heap of ferry's isolate in use (live objects plus garbage not yet collected: an upper bound
   * of what it holds) when idle, at its highest sample, and at the end. workerd's inspector does
   * not answer HeapProfiler.collectGarbage, so there is no after-GC figure.
   */
  heapIdle: number | null;
  heapPeak: number | null;
  heapAfter: number | null;
  heapSamples: number;
}

export interface HugeResult {
  backfill: BackfillResult;
  memory: Memory;
}

const SAMPLE_MS = 100;

export async function runHuge(fake: FakeOpenAI, ferry: FerryInstance, messages: number, timeoutMs: number): Promise<HugeResult> {
  const ids = seedThreads(fake, "huge", 1, messages);
  const worker = instanceProcesses(ferry.pgid).find((p) => p.role === "worker")?.pid ?? null;
  const before = worker ? memory(worker) : null;
  const heap = new Inspector();
  const heapOk = await heap.connect(ferry.inspectorPort);
  const heapIdle = heapOk ? await heap.usedBytes() : null;

  let peakRss = before?.rss ?? 0;
  const rssTimer = setInterval(() => {
    const m = worker ? memory(worker) : null;
    if (m) peakRss = Math.max(peakRss, m.rss);
  }, SAMPLE_MS);
  if (heapOk) heap.start(SAMPLE_MS);
  let backfill: BackfillResult;
  try {
    backfill = await runBackfill(fake, ferry, ids, messages, timeoutMs);
  } finally {
    clearInterval(rssTimer);
    heap.stop();
  }
  const after = worker ? memory(worker) : null;
  const heapAfter = heapOk ? await heap.usedBytes() : null;
  heap.close();
  return {
    backfill,
    memory: {
      workerPid: worker,
      idleRss: before?.rss ?? null,
      hwmBefore: before?.hwm ?? null,
      hwmAfter: after?.hwm ?? null,
      peakRss: worker ? Math.max(peakRss, after?.rss ?? 0) : null,
      heapIdle,
      heapPeak: heapOk ? Math.max(heap.peakUsed, heapAfter ?? 0) : null,
      heapAfter,
      heapSamples: heap.samples,
    },
  };
}
