// Part "export": N threads × M messages from one NDJSON file, uploaded with `POST /v1/exports`,
// ingested and migrated from R2, beside the live-source backfill of the same threads on the same
// instance; and, with --export-gb, a multi-gigabyte file ingested on its own instance.
import { createReadStream, createWriteStream, statSync } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import type { FakeOpenAI } from "../fake-openai/index";
import type { Export } from "../src/handlers/http/schemas";
import { generated } from "../test/support/export-fixtures";
import { runBackfill, seedThreads, settledOutcome, type BackfillResult } from "./backfill";
import type { CallStats } from "./calls";
import { FerryApi } from "./ferry-api";
import { measureMemory, type Memory } from "./huge";
import { Inspector } from "./inspector";
import { API_TOKEN, instanceProcesses, type FerryInstance } from "./stack";
import type { Verification } from "./verify";

export interface ExportResult {
  threads: number;
  messages: number;
  bytes: number;
  uploadMs: number;
  /** From the upload's start until the export was ingested (every thread registered). */
  ingestMs: number;
  /** From the upload's start until every thread had settled. */
  totalMs: number;
  timedOut: boolean;
  calls: CallStats;
  /** Contract §4.2 for an export: the writes alone (its reads are R2's, not OpenAI's). */
  minimumCalls: number;
  verification: Verification;
  unfinished: Record<string, number>;
  memory: Memory;
  /** The same threads from the live source (the fake), on the same instance just before. */
  live: BackfillResult;
}

export interface BigExportResult {
  bytes: number;
  threads: number;
  messages: number;
  uploadMs: number;
  ingestMs: number;
  timedOut: boolean;
  export: Export | null;
  memory: Memory;
}

const POLL_MS = 250;

export async function runExport(fake: FakeOpenAI, ferry: FerryInstance, dir: string, threads: number, messages: number, timeoutMs: number): Promise<ExportResult> {
  const live = await runBackfill(fake, ferry, seedThreads(fake, "export_live", threads, messages), messages, timeoutMs);
  // The fake holds the exported threads too, only so that the conversations can be checked against them.
  const ids = seedThreads(fake, "export", threads, messages);
  const file = path.join(dir, "export.ndjson");
  await writeExport(file, ids.length, messages, (i) => ids[i]!);
  const api = new FerryApi(ferry.url);
  const before = settledCount(await api.status());
  fake.state.clearCalls();
  const started = performance.now();
  const { result, memory } = await withIsolate(ferry, async () => {
    const { exportId, uploadMs } = await upload(ferry, file);
    const ingest = await waitIngested(ferry, exportId, started, timeoutMs);
    for (;;) {
      const done = settledCount(await api.status()) - before >= ids.length;
      const elapsed = performance.now() - started;
      if (done || elapsed > timeoutMs) return { uploadMs, ingestMs: ingest.ms, totalMs: elapsed, timedOut: !done || ingest.timedOut };
      await sleep(POLL_MS);
    }
  });
  const { calls, unfinished, verification } = await settledOutcome(fake, api, ids);
  return { threads, messages, bytes: statSync(file).size, ...result, calls, minimumCalls: threads * Math.max(1, Math.ceil(messages / 20)), verification, unfinished, memory, live };
}

/**
 * A file of about `gigabytes` GB (threads of `messages` messages), uploaded and ingested; the
 * threads' migrations it queues are not waited for (at the fake's latency they take hours).
 */
export async function runBigExport(ferry: FerryInstance, dir: string, gigabytes: number, messages: number, timeoutMs: number): Promise<BigExportResult> {
  const file = path.join(dir, "big-export.ndjson");
  const target = gigabytes * 1e9;
  const threads = await writeExport(file, Number.POSITIVE_INFINITY, messages, (i) => `thread_bench_big_${i}`, target);
  const started = performance.now();
  const { result, memory } = await withIsolate(ferry, async () => {
    const { exportId, uploadMs } = await upload(ferry, file);
    const ingest = await waitIngested(ferry, exportId, started, timeoutMs);
    return { uploadMs, ingestMs: ingest.ms, timedOut: ingest.timedOut, export: ingest.export };
  });
  return { bytes: statSync(file).size, threads, messages, ...result, memory };
}

/** Writes threads of v2 message lines ("message i", as the fake generates them) until `count` threads or `bytes` bytes. */
async function writeExport(file: string, count: number, messages: number, idOf: (i: number) => string, bytes = Number.POSITIVE_INFINITY): Promise<number> {
  const out = createWriteStream(file);
  let written = 0;
  let i = 0;
  for (; i < count && written < bytes; i++) {
    const chunk = generated(idOf(i), messages).map((m) => `${JSON.stringify(m)}\n`).join("");
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return i;
}

/** Streams the file to `POST /v1/exports`, as `curl --data-binary` does: with its length, never read whole. */
async function upload(ferry: FerryInstance, file: string): Promise<{ exportId: string; uploadMs: number }> {
  const started = performance.now();
  const res = await fetch(`${ferry.url}/v1/exports`, {
    method: "POST",
    headers: { Authorization: `Bearer ${API_TOKEN}`, "content-type": "application/x-ndjson", "content-length": String(statSync(file).size) },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: "half",
  } as RequestInit);
  if (res.status !== 202) throw new Error(`POST /v1/exports answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return { exportId: ((await res.json()) as Export).id, uploadMs: performance.now() - started };
}

async function waitIngested(ferry: FerryInstance, exportId: string, started: number, timeoutMs: number): Promise<{ ms: number; timedOut: boolean; export: Export | null }> {
  for (;;) {
    const res = await fetch(`${ferry.url}/v1/exports/${exportId}`, { headers: { Authorization: `Bearer ${API_TOKEN}` }, signal: AbortSignal.timeout(30_000) });
    const e = (await res.json()) as Export;
    const elapsed = performance.now() - started;
    if (e.status !== "ingesting") return { ms: elapsed, timedOut: false, export: e };
    if (elapsed > timeoutMs) return { ms: elapsed, timedOut: true, export: e };
    await sleep(POLL_MS);
  }
}

/** Runs `work` while the isolate's heap and the worker's memory are sampled. */
async function withIsolate<T>(ferry: FerryInstance, work: () => Promise<T>) {
  const worker = instanceProcesses(ferry.pgid).find((p) => p.role === "worker")?.pid ?? null;
  const heap = new Inspector();
  const heapOk = await heap.connect(ferry.inspectorPort);
  try {
    return await measureMemory(worker, heapOk ? heap : null, work);
  } finally {
    heap.close();
  }
}

const settledCount = (s: { migrated: number; failed: number; source_unavailable: number }) => s.migrated + s.failed + s.source_unavailable;
