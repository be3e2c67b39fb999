// Part 8, pacing (contract §7.1, §4.8): the fake limits the target's key to R calls a minute (a
// sliding window, 429 beyond); ferry runs with OPENAI_MAX_RPM=R. First a steady stream of lazy
// migrations alone, then the same stream beside a backfill that wants far more than R; then, on an
// unpaced instance with a target key of its own (a window of its own, empty at its start), the same
// backfill without pacing. The source has a key of its own, unlimited, so each window holds target
// calls alone.
import { setTimeout as sleep } from "node:timers/promises";
import type { FakeOpenAI } from "../fake-openai/index";
import { FerryApi } from "./ferry-api";
import type { FerryInstance } from "./stack";

/** Calls the fake counts against the target's key: conversations, files, vector stores. */
const TARGET_ROUTE = /^[A-Z]+ \/v1\/(conversations|files|vector_stores)(\/|$)/;
/** One lazy migration a second, of a 30-message thread: 2 target calls each, a tenth of R at 1,200. */
const LAZY_EVERY_MS = 1_000;
const LAZY_MESSAGES = 30;

export interface LazyStream {
  latenciesMs: number[];
  /** Requests that ferry answered 202 (continued in the background): their latency runs until migrated. */
  continued: number;
}

export interface TargetCalls {
  total: number;
  refused: number;
  /**
   * Admitted calls per minute while the backfill is saturated: the mean over every whole minute
   * (sliding, a second apart) from the first call to the backfill's last; null when that is shorter
   * than a minute. `sustainedMs`: that stretch. (The pacer's slow start spreads the first minute's
   * permits over it at the full rate, so the first minute counts too.)
   */
  sustainedPerMinute: number | null;
  /** The fewest admitted calls in one of those minutes. */
  leanestMinute: number | null;
  sustainedMs: number;
  /** The most calls the fake admitted in any 60 s. */
  busiestMinute: number;
  /** Admitted calls per 10 s from the first one: where the rate ramps, holds and ends. */
  timeline: number[];
}

export interface PacingRun {
  threads: number;
  wallMs: number;
  timedOut: boolean;
  target: TargetCalls;
  unfinished: number;
}

export interface PacingResult {
  rpm: number;
  alone: LazyStream;
  beside: LazyStream;
  paced: PacingRun;
  unpaced: PacingRun;
}

/**
 * Runs lazy migrations one per interval until `until` resolves: each a fresh thread, POST …/migrate,
 * and waiting while it continues. `started` counts them as they start.
 */
async function lazyStream(fake: FakeOpenAI, api: FerryApi, label: string, until: Promise<unknown>, started = { n: 0 }): Promise<LazyStream> {
  const latenciesMs: number[] = [];
  let continued = 0;
  let done = false;
  void until.finally(() => (done = true));
  const inFlight: Promise<void>[] = [];
  for (let i = 0; !done; i++) {
    started.n++;
    const id = fake.state.createThread({ id: `thread_bench_lazy_${label}_${i}`, generate: LAZY_MESSAGES });
    inFlight.push(
      (async () => {
        const started = performance.now();
        if ((await api.migrate(id)) !== "migrated") {
          continued++;
          while ((await api.lookup([id]))[0]?.status !== "migrated") await sleep(100);
        }
        latenciesMs.push(performance.now() - started);
      })(),
    );
    await Promise.race([sleep(LAZY_EVERY_MS), until]);
  }
  await Promise.all(inFlight);
  return { latenciesMs, continued };
}

function targetCalls(fake: FakeOpenAI, from: number, to: number, backfillIds: ReadonlySet<string>, convOwner: Map<string, string>): TargetCalls {
  const calls = fake.state.callLog().calls.filter((c) => c.at >= from && c.at <= to && TARGET_ROUTE.test(c.route));
  const admitted = calls.filter((c) => c.status !== 429).map((c) => c.at);
  // The backfill's own last call ends the sustained span: after it only the lazy stream is left.
  const ofBackfill = (path: string) => {
    const conv = /\/v1\/conversations\/([^/]+)/.exec(path)?.[1];
    return conv ? backfillIds.has(convOwner.get(conv) ?? "") : false;
  };
  const last = Math.max(from, ...calls.filter((c) => ofBackfill(c.path)).map((c) => c.at));
  const first = admitted[0] ?? from;
  const inWindow = (start: number) => admitted.filter((t) => t >= start && t < start + 60_000).length;
  const minutes: number[] = [];
  for (let start = first; start + 60_000 <= last; start += 1_000) minutes.push(inWindow(start));
  let busiest = 0;
  for (let i = 0, j = 0; j < admitted.length; j++) {
    while (admitted[j]! - admitted[i]! >= 60_000) i++;
    busiest = Math.max(busiest, j - i + 1);
  }
  const timeline: number[] = [];
  for (const t of admitted) timeline[Math.floor((t - first) / 10_000)] = (timeline[Math.floor((t - first) / 10_000)] ?? 0) + 1;
  return {
    total: calls.length,
    refused: calls.length - admitted.length,
    sustainedPerMinute: minutes.length ? minutes.reduce((a, b) => a + b, 0) / minutes.length : null,
    leanestMinute: minutes.length ? Math.min(...minutes) : null,
    sustainedMs: Math.max(0, last - first),
    busiestMinute: busiest,
    timeline: Array.from(timeline, (n) => n ?? 0),
  };
}

/** The conversation → thread it was created for, from the fake's state (ferry tags each with its thread). */
function conversationOwners(fake: FakeOpenAI): Map<string, string> {
  return new Map(fake.state.conversationSnapshots().flatMap((c) => (c.metadata.assistants_thread_id ? [[c.id, c.metadata.assistants_thread_id] as const] : [])));
}

/** One backfill of `ids` on `ferry`, with the lazy stream beside it when `lazy` is set. */
async function backfillUnderLimit(fake: FakeOpenAI, ferry: FerryInstance, ids: string[], timeoutMs: number, lazy: string | null) {
  const api = new FerryApi(ferry.url);
  const from = Date.now();
  const lazyStarted = { n: 0 };
  const backfill = api.backfill(ids, timeoutMs, () => lazyStarted.n);
  const beside = lazy ? lazyStream(fake, api, lazy, backfill, lazyStarted) : null;
  const { wallMs, timedOut } = await backfill;
  const stream = await beside;
  const to = Date.now();
  const rows = await api.lookup(ids);
  const run: PacingRun = {
    threads: ids.length,
    wallMs,
    timedOut,
    target: targetCalls(fake, from, to, new Set(ids), conversationOwners(fake)),
    unfinished: rows.filter((r) => r.status !== "migrated").length,
  };
  return { run, stream };
}

export async function runPacing(
  fake: FakeOpenAI,
  start: (vars: Record<string, string>) => Promise<FerryInstance>,
  o: { rpm: number; threads: number; aloneMs: number; timeoutMs: number; sourceKey: string; targetKeys: { paced: string; unpaced: string } },
): Promise<PacingResult> {
  const seed = (label: string) => Array.from({ length: o.threads }, (_, i) => fake.state.createThread({ id: `thread_bench_pace_${label}_${i}`, generate: 40 }));
  const vars = { ASSISTANTS_API_KEY: o.sourceKey };

  const paced = await start({ ...vars, OPENAI_API_KEY: o.targetKeys.paced, OPENAI_MAX_RPM: String(o.rpm) });
  let alone: LazyStream;
  let besideRun: Awaited<ReturnType<typeof backfillUnderLimit>>;
  try {
    alone = await lazyStream(fake, new FerryApi(paced.url), "alone", sleep(o.aloneMs));
    besideRun = await backfillUnderLimit(fake, paced, seed("paced"), o.timeoutMs, "beside");
  } finally {
    await paced.stop();
  }
  const unpaced = await start({ ...vars, OPENAI_API_KEY: o.targetKeys.unpaced });
  try {
    const { run } = await backfillUnderLimit(fake, unpaced, seed("unpaced"), o.timeoutMs, null);
    return { rpm: o.rpm, alone, beside: besideRun.stream!, paced: besideRun.run, unpaced: run };
  } finally {
    await unpaced.stop();
  }
}
