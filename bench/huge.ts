// Part 3: one thread of 10,000 messages through the backfill, on a fresh `wrangler dev` so the
// Worker process's peak resident memory (VmHWM) belongs to this part alone. A thread a tenth that
// size goes first on the same instance: if the migration streams, the big one needs about the same
// memory, not ten times more.
import type { FakeOpenAI } from "../fake-openai/index";
import { runBackfill, seedThreads, type BackfillResult } from "./backfill";
import { Inspector } from "./inspector";
import { instanceProcesses, memory, type FerryInstance } from "./stack";

export interface Memory {
  /** Resident set of the workerd process running ferry (its isolate, and the local D1 and queue simulators). */
  rssBefore: number | null;
  /** Highest VmRSS sampled during the migration. */
  rssPeak: number | null;
  /** VmHWM (peak resident set since the process started) after the migration. */
  hwmAfter: number | null;
  /**
   * V8 heap of ferry's isolate in use (live objects plus garbage not yet collected: an upper bound
   * of what it holds) before, at its highest sample, and the highest of heap + memory outside it
   * (ArrayBuffers, embedder). workerd's inspector does not answer HeapProfiler.collectGarbage, so
   * there is no after-GC figure.
   */
  heapBefore: number | null;
  heapPeak: number | null;
  heapWithExternalPeak: number | null;
  /** Highest V8 heap committed (used + free space V8 keeps) plus memory outside it: the isolate's whole footprint. */
  isolatePeak: number | null;
  heapSamples: number;
}

export interface HugePhase {
  backfill: BackfillResult;
  memory: Memory;
}

export interface HugeResult {
  /** The thread a tenth the size, migrated first. */
  small: HugePhase;
  big: HugePhase;
  workerPid: number | null;
  /** VmHWM of the fresh process before either migration (start-up included). */
  hwmAtStart: number | null;
}

const SAMPLE_MS = 100;

export async function runHuge(fake: FakeOpenAI, ferry: FerryInstance, messages: number, timeoutMs: number): Promise<HugeResult> {
  const worker = instanceProcesses(ferry.pgid).find((p) => p.role === "worker")?.pid ?? null;
  const hwmAtStart = worker ? (memory(worker)?.hwm ?? null) : null;
  const heap = new Inspector();
  const heapOk = await heap.connect(ferry.inspectorPort);
  try {
    const small = await phase(fake, ferry, "huge_small", Math.max(100, Math.round(messages / 10)), timeoutMs, worker, heapOk ? heap : null);
    const big = await phase(fake, ferry, "huge", messages, timeoutMs, worker, heapOk ? heap : null);
    return { small, big, workerPid: worker, hwmAtStart };
  } finally {
    heap.close();
  }
}

async function phase(
  fake: FakeOpenAI,
  ferry: FerryInstance,
  name: string,
  messages: number,
  timeoutMs: number,
  worker: number | null,
  heap: Inspector | null,
): Promise<HugePhase> {
  const ids = seedThreads(fake, name, 1, messages);
  const { result: backfill, memory } = await measureMemory(worker, heap, () => runBackfill(fake, ferry, ids, messages, timeoutMs));
  return { backfill, memory };
}

/** Runs `work` while sampling the worker process's resident memory and the isolate's heap. */
export async function measureMemory<T>(worker: number | null, heap: Inspector | null, work: () => Promise<T>): Promise<{ result: T; memory: Memory }> {
  const before = worker ? memory(worker) : null;
  const heapBefore = heap ? await heap.usedBytes() : null;
  let rssPeak = before?.rss ?? 0;
  const rssTimer = setInterval(() => {
    const m = worker ? memory(worker) : null;
    if (m) rssPeak = Math.max(rssPeak, m.rss);
  }, SAMPLE_MS);
  heap?.start(SAMPLE_MS);
  let result: T;
  try {
    result = await work();
  } finally {
    clearInterval(rssTimer);
    heap?.stop();
  }
  const after = worker ? memory(worker) : null;
  return {
    result,
    memory: {
      rssBefore: before?.rss ?? null,
      rssPeak: worker ? Math.max(rssPeak, after?.rss ?? 0) : null,
      hwmAfter: after?.hwm ?? null,
      heapBefore,
      heapPeak: heap ? heap.peakUsed : null,
      heapWithExternalPeak: heap ? heap.peakWithExternal : null,
      isolatePeak: heap ? heap.peakCommitted : null,
      heapSamples: heap?.samples ?? 0,
    },
  };
}
