// Renders the generated part of one run's results: settings, the results table, each target met
// or missed with the figures behind it, and diagnostics. The prose (why a target is missed, how to
// read the numbers) is hand-written in the results file, beside this part (results-file.ts).
import type { RandomFaults } from "../fake-openai/index";
import type { BackfillResult } from "./backfill";
import type { BaselineResult } from "./baseline";
import { criticalPathCalls, minimumCalls } from "./calls";
import type { Environment } from "./environment";
import type { BigExportResult, ExportResult } from "./exports";
import type { HugeResult } from "./huge";
import type { LoadResult, LookupResult } from "./lookup";
import type { BenchOptions } from "./options";
import type { LazyStream, PacingResult, PacingRun } from "./pacing";
import type { ScaleSize } from "./scale";
import type { ConsumerSettings } from "./stack";

export interface Results {
  options: BenchOptions;
  env: Environment;
  consumer: ConsumerSettings;
  /** QUEUE_CONCURRENCY ferry ran with, and where it came from. */
  concurrency: { value: number; source: string };
  faultMix: RandomFaults;
  /** Whether wrangler's DevTools network tracing was on in ferry's isolate (see inspector.ts). */
  networkTracing: string;
  backfill?: BackfillResult;
  lookup?: LookupResult;
  baseline?: BaselineResult;
  faults?: BackfillResult;
  huge?: HugeResult;
  export?: ExportResult;
  bigExport?: BigExportResult;
  compare?: { concurrency: number; result: BackfillResult };
  pacing?: PacingResult;
  scale?: ScaleSize[];
  runSeconds: number;
}

/** The issue's targets; "well under 128 MB" is read as at most half of it. */
const TARGET = { lookupRatio: 0.8, callsHappy: 1.0, callsFaults: 1.05, speedup: 10, hugeMiB: 128, hugeWellUnderMiB: 64, pacedRate: 0.9, pacedRefused: 0.01 };

/** D1's largest database (Workers Paid), for the capacity the bytes per thread allow. */
const D1_MAX_BYTES = 10 * 10 ** 9;

// ---------- formatting ----------
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const s = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const x = (r: number, digits = 2) => `${r.toFixed(digits)}×`;
const mib = (b: number | null) => (b === null || Number.isNaN(b) ? "n/a" : `${(b / 2 ** 20).toFixed(1)} MiB`);
const pctOf = (r: number) => `${Math.round(r * 100)} %`;
const verdict = (met: boolean) => (met ? "✅ met" : "❌ missed");
const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;

/**
 * Critical-path bound: each thread's sequential calls × the latency, `concurrency` threads at a
 * time, and nothing else (no D1, no CPU, no queue delays). `concurrency` is what one consumer
 * invocation migrates at once: QUEUE_CONCURRENCY, at most max_batch_size.
 */
export function boundMs(threads: number, messages: number, latencyMs: number, concurrency: number): number {
  return (threads * criticalPathCalls(messages) * latencyMs) / concurrency;
}

/** Threads migrated at once by one consumer invocation. */
const perInvocation = (r: Results, queueConcurrency: number) => Math.min(queueConcurrency, r.consumer.maxBatchSize);

/** Threads in flight: on average (sum of thread spans ÷ wall) and at most. */
function inFlightText(res: BackfillResult): string {
  return `threads in flight: ${(res.calls.threadSpanTotalMs / res.wallMs).toFixed(1)} on average, ${res.calls.maxThreadsInFlight} at most`;
}

/** Calls any client needs on average when reads fail with p(read) and writes with p(write) and each failure is sent again. */
function faultFloor(threads: number, messages: number, mix: RandomFaults): number {
  const reads = 1 + Math.max(1, Math.ceil(messages / 100));
  const writes = Math.max(1, Math.ceil(messages / 20));
  const pRead = mix.rate500 + mix.rate429;
  const pWrite = pRead + mix.rateCommitThenFail;
  return (threads * (reads / (1 - pRead) + writes / (1 - pWrite))) / (threads * minimumCalls(messages));
}


function load(r: LoadResult, seconds: number): string {
  return `${int(r.rps)} req/s · p50 ${ms(r.p50)} · p99 ${ms(r.p99)}${r.bad ? ` · **${int(r.bad)} bad answers**` : ""}${busyNote(r.cpu, seconds * 1000)}`;
}

function settledNote(r: BackfillResult): string {
  const parts = Object.entries(r.unfinished).map(([k, n]) => `${n} ${k}`);
  if (r.timedOut) parts.push("timed out");
  return parts.length ? ` (**not all migrated: ${parts.join(", ")}**)` : "";
}

function exactness(r: { verification: BackfillResult["verification"] }): string {
  const v = r.verification;
  const bits = [`${int(v.duplicates)} duplicates / ${int(v.losses)} losses in ${int(v.threads - v.notMigrated)} recorded conversations`];
  if (v.outOfOrder) bits.push(`${v.outOfOrder} out of order`);
  if (v.notMigrated) bits.push(`${v.notMigrated} not migrated`);
  return bits.join(" · ");
}

// ---------- the report ----------

/** What the hand-written notes head their explanation of a miss with, in backticks. */
const TARGET_IDS = [
  "lookup", "speedup", "calls", "exactly-once", "huge-calls", "huge-memory", "calls-faults", "exactly-once-faults",
  "export-calls", "export-exactly-once", "export-memory", "pacing-rate", "pacing-429",
] as const;
type TargetId = (typeof TARGET_IDS)[number];

/** One of the issue's targets as this run measured it. */
interface Verdict {
  id: TargetId;
  goal: string;
  met: boolean;
  /** The measured value, and the figures an explanation of a miss needs. */
  result: string;
}

export interface Report {
  /** The generated part of the results file. */
  markdown: string;
  /** Missed targets the notes do not explain yet. */
  unexplained: string[];
  /** Notes for targets this run met, or naming no target: to revise. */
  stale: string[];
}

/**
 * The generated part of one run: settings, the results table, each target met or missed (with
 * the figures behind it) and diagnostics. Why a target is missed is hand-written beside it
 * (results-file.ts); `explained` are the ids those notes cover, so a miss without a note and a
 * note that no longer fits are both flagged here.
 */
export function renderReport(r: Results, explained: ReadonlySet<string>): Report {
  const o = r.options;
  const L = o.latencyMs;
  const lines: string[] = [];
  const verdicts: Verdict[] = [];
  const e = r.env;
  lines.push(
    `# ferry benchmark — ${o.quick ? "quick" : "full"} run`,
    "",
    `- **Date:** ${e.date}`,
    `- **Machine:** ${e.cores} cores (${e.cpu}), ${e.memoryGiB.toFixed(1)} GiB memory, ${e.os}`,
    `- **Versions:** Node ${e.node}, ${Object.entries(e.versions).map(([k, v]) => `${k} ${v}`).join(", ")}; ferry ${e.commit}`,
    `- **Settings:** fake OpenAI latency ${L} ms per call (in-process, loopback); backfill ${int(o.threads)} threads × ${o.messages} messages; ` +
      `queue consumer max_batch_size ${r.consumer.maxBatchSize}, max_batch_timeout ${r.consumer.maxBatchTimeout} s (wrangler.toml, unchanged); ` +
      `QUEUE_CONCURRENCY ${r.concurrency.value} (${r.concurrency.source}); lookup ${o.lookupSeconds} s × ${o.connections} connections per target; ` +
      `faults: ${pctOf(r.faultMix.rate500)} 500, ${pctOf(r.faultMix.rate429)} 429 (Retry-After ${r.faultMix.retryAfter}), ${pctOf(r.faultMix.rateCommitThenFail)} commit-then-fail writes, seed ${r.faultMix.seed}; ` +
      `wrangler's DevTools network tracing ${r.networkTracing}`,
    `- **Run:** \`npm run bench${o.quick ? " -- --quick" : ""}\`, ${Math.round(r.runSeconds)} s in all`,
    "",
    "| # | part | ferry | reference | result | target | |",
    "|---|---|---|---|---|---|---|",
  );
  const row = (...cells: string[]) => lines.push(`| ${cells.join(" | ")} |`);
  const judge = (v: Verdict) => (verdicts.push(v), verdict(v.met));

  if (r.lookup) {
    const { healthz, lookup, d1 } = r.lookup;
    const ratio = lookup.rps / healthz.rps;
    const d1Ratio = d1.rps / healthz.rps;
    const met = ratio >= TARGET.lookupRatio && !lookup.bad && !healthz.bad;
    row("1", `Lookup: \`GET /v1/threads/{id}\` (${int(r.lookup.ids)} migrated ids, settled: answered from the isolate's cache after each id's first D1 read) vs \`GET /healthz\``, load(lookup, r.lookup.seconds), `healthz ${load(healthz, r.lookup.seconds)}`, `${x(ratio)} healthz's req/s`, `≥ ${x(TARGET.lookupRatio)}`,
      judge({ id: "lookup", goal: `settled lookups ≥ ${x(TARGET.lookupRatio)} healthz's req/s`, met, result: `${x(ratio)}; ferry's workerd ${perReq(lookup, "worker")} per lookup, ${perReq(healthz, "worker")} per healthz` }));
    row("1", `Lookup, D1 hit every time (${int(r.lookup.ids)} pending ids, never cached) vs \`GET /healthz\``, load(d1, r.lookup.seconds), `healthz ${load(healthz, r.lookup.seconds)}`, `${x(d1Ratio)} healthz's req/s`, "—", "");
  }

  const b = r.backfill;
  const bl = r.baseline;
  if (b) {
    const c = perInvocation(r, r.concurrency.value);
    const bound = boundMs(b.threads, b.messages, L, c);
    const cp = criticalPathCalls(b.messages) * L;
    const speedup = bl && bl.wallMs / b.wallMs;
    const speedupFigures = () => {
      const needed = (TARGET.speedup * cp) / (bl!.wallMs / bl!.threads);
      return (
        `${x(speedup!, 1)}${r.compare ? ` (${x(bl!.wallMs / r.compare.result.wallMs, 1)} with QUEUE_CONCURRENCY ${r.compare.concurrency}, row 2b)` : ""}; ` +
        `${TARGET.speedup}× takes ≥ ${needed.toFixed(1)} threads in flight at zero overhead; one consumer invocation runs ${c} at a time (bound ${s(bound)}: at best ${x(bl!.wallMs / bound, 1)}); ` +
        `ferry had ${(b.calls.threadSpanTotalMs / b.wallMs).toFixed(1)} in flight on average, ${b.calls.maxThreadsInFlight} at most; thread span ${spanText(b)} against ${cp} ms of latency`
      );
    };
    row(
      "2",
      `Backfill ${int(b.threads)} × ${b.messages} through \`POST /v1/backfill\` + local queue: wall time`,
      `${s(b.wallMs)} · ${(b.threads / (b.wallMs / 1000)).toFixed(1)} threads/s${settledNote(b)}${busyNote(b.cpu, b.wallMs)}`,
      bl ? `sequential openai-SDK script: ${s(bl.wallMs)} · ${(bl.threads / (bl.wallMs / 1000)).toFixed(1)} threads/s${busyNote(bl.cpu, bl.wallMs)}` : "baseline not run",
      speedup ? `**${x(speedup, 1)} faster**` : "—",
      `≥ ${TARGET.speedup}×`,
      speedup ? judge({ id: "speedup", goal: `backfill ≥ ${TARGET.speedup}× the sequential baseline`, met: speedup >= TARGET.speedup, result: speedupFigures() }) : "—",
    );
    const ratio = b.calls.total / b.minimumCalls;
    row("2", "Backfill: OpenAI calls ÷ contract §4.2 minimum", `${int(b.calls.total)} ÷ ${int(b.minimumCalls)}`, bl ? `baseline made ${int(bl.calls.total)} (it reads no thread metadata)` : "", `**${ratio.toFixed(2)}**`, "1.00",
      judge({ id: "calls", goal: "backfill OpenAI calls = contract §4.2's minimum", met: ratio <= TARGET.callsHappy + 1e-9, result: `${ratio.toFixed(2)}; calls by route ${routes(b)}` }));
    row(
      "2",
      "Backfill: critical-path bound at the configured concurrency",
      `${s(b.wallMs)} · ${inFlightText(b)}`,
      `bound ${s(bound)} = ${int(b.threads)} threads × ${criticalPathCalls(b.messages)} sequential calls × ${L} ms ÷ ${c} at a time (QUEUE_CONCURRENCY ${r.concurrency.value}, one invocation)`,
      `ferry at **${pctOf(bound / b.wallMs)}** of the bound`,
      "—",
      "",
    );
    row("2", "Backfill: exactly once", exactness(b), bl ? `baseline: ${exactness(bl)}` : "", "", "0",
      judge({ id: "exactly-once", goal: "backfill: no duplicates, no losses", met: b.verification.duplicates + b.verification.losses === 0, result: exactness(b) }));
  }
  if (r.compare) {
    const c = r.compare.result;
    const bound = boundMs(c.threads, c.messages, L, perInvocation(r, r.compare.concurrency));
    row(
      "2b",
      `Backfill again with \`--var QUEUE_CONCURRENCY:${r.compare.concurrency}\` (fresh instance)`,
      `${s(c.wallMs)} · ${(c.threads / (c.wallMs / 1000)).toFixed(1)} threads/s · calls ${(c.calls.total / c.minimumCalls).toFixed(2)}× min · ${exactness(c)}${settledNote(c)}${busyNote(c.cpu, c.wallMs)}`,
      `bound ${s(bound)} (${perInvocation(r, r.compare.concurrency)} at a time) · ${inFlightText(c)}`,
      `${bl ? `**${x(bl.wallMs / c.wallMs, 1)} the baseline** · ` : ""}${pctOf(bound / c.wallMs)} of bound`,
      bl ? `≥ ${TARGET.speedup}×` : "—",
      bl ? verdict(bl.wallMs / c.wallMs >= TARGET.speedup) : "",
    );
  }

  const h = r.huge;
  if (h) {
    const hb = h.big.backfill;
    const cp = criticalPathCalls(hb.messages) * L;
    const ratio = hb.calls.total / hb.minimumCalls;
    const [sm, bm] = [h.small.memory, h.big.memory];
    const smallN = int(h.small.backfill.messages);
    const bigN = int(hb.messages);
    row("3", `One huge thread: ${bigN} messages, wall time`, `${s(hb.wallMs)}${settledNote(hb)}${busyNote(hb.cpu, hb.wallMs)}`, `critical path ${int(criticalPathCalls(hb.messages))} calls × ${L} ms = ${s(cp)}`, `${pctOf(cp / hb.wallMs)} of bound`, "—", "");
    row("3", "One huge thread: calls ÷ minimum · exactly once", `${int(hb.calls.total)} ÷ ${int(hb.minimumCalls)} · ${exactness(hb)}`, `${smallN}-message thread first: ${int(h.small.backfill.calls.total)} ÷ ${int(h.small.backfill.minimumCalls)}`, `**${ratio.toFixed(2)}**`, "1.00 · 0",
      judge({ id: "huge-calls", goal: "huge thread: calls = the minimum, exactly once", met: ratio <= TARGET.callsHappy + 1e-9 && hb.verification.duplicates + hb.verification.losses === 0, result: `${ratio.toFixed(2)}; ${exactness(hb)}; calls by route ${routes(hb)}` }));
    const worst = bm.isolatePeak ?? bm.heapWithExternalPeak ?? bm.heapPeak;
    const growth = (m: typeof bm) => (m.rssPeak !== null && m.rssBefore !== null ? m.rssPeak - m.rssBefore : null);
    row(
      "3",
      "One huge thread: memory",
      `ferry's isolate, V8 heap in use at its peak: **${mib(bm.heapPeak)}** for ${bigN} messages, ${mib(sm.heapPeak)} for ${smallN} (${mib(sm.heapBefore)} before); ` +
        `whole isolate (heap committed + ArrayBuffers and embedder memory): **${mib(bm.isolatePeak)}** / ${mib(sm.isolatePeak)}`,
      `ferry's workerd process (runtime + local D1 and queue): RSS ${mib(sm.rssBefore)} before, peak ${mib(bm.rssPeak)}: +${mib(growth(bm))} during the ${bigN}-message thread, +${mib(growth(sm))} during the ${smallN}; VmHWM ${mib(bm.hwmAfter)} (${mib(h.hwmAtStart)} after start-up)`,
      bm.heapPeak !== null && sm.heapPeak !== null
        ? `${x(hb.messages / h.small.backfill.messages, 0)} the messages, ${x(bm.heapPeak / sm.heapPeak, 1)} the heap: ${bm.heapPeak / sm.heapPeak < 2 ? "it streams" : "**the heap grows with the thread**"}`
        : "",
      `well under ${TARGET.hugeMiB} MiB (≤ ${TARGET.hugeWellUnderMiB})`,
      worst === null
        ? "n/a"
        : judge({ id: "huge-memory", goal: `huge thread: isolate memory well under ${TARGET.hugeMiB} MiB (≤ ${TARGET.hugeWellUnderMiB})`, met: worst <= TARGET.hugeWellUnderMiB * 2 ** 20, result: `peak ${mib(worst)}` }),
    );
  }

  const f = r.faults;
  if (f) {
    const ratio = f.calls.total / f.minimumCalls;
    const own = (f.calls.total - f.calls.faulted) / f.minimumCalls;
    const floor = faultFloor(f.threads, f.messages, r.faultMix);
    const v = f.verification;
    row(
      "4",
      `Under faults: ${int(f.threads)} × ${f.messages} backfill, wall time`,
      `${s(f.wallMs)}${settledNote(f)}${busyNote(f.cpu, f.wallMs)}; ${milestonesText(f)}`,
      b ? `happy path ${s(b.wallMs)}; ${milestonesText(b)}` : "",
      b ? `${x(f.wallMs / b.wallMs, 1)} the happy path` : "",
      "—",
      "",
    );
    verdicts.push({
      id: "calls-faults",
      goal: `under faults: OpenAI calls ≤ ${TARGET.callsFaults.toFixed(2)}× the minimum`,
      met: ratio <= TARGET.callsFaults,
      result:
        `${ratio.toFixed(2)}× (${own.toFixed(2)}× without the ${int(f.calls.faulted)} calls answered with an injected fault); ` +
        `a client that resends each failed call needs ${floor.toFixed(2)}× under this mix; ${int(f.calls.reconcileReads)} reconciliation reads, ${int(v.orphans)} orphan(s)`,
    });
    row(
      "4",
      "Under faults: OpenAI calls ÷ minimum",
      `${int(f.calls.total)} ÷ ${int(f.minimumCalls)}, of which ${int(f.calls.faulted)} answered with an injected fault; ${int(f.calls.reconcileReads)} reconciliation reads`,
      `floor for any client that resends each failed call: ${floor.toFixed(2)}`,
      `**${ratio.toFixed(2)}** all calls · **${own.toFixed(2)}** without the injected failures`,
      `≤ ${TARGET.callsFaults.toFixed(2)}`,
      `${verdict(ratio <= TARGET.callsFaults)} (all) · ${verdict(own <= TARGET.callsFaults)} (without)`,
    );
    row(
      "4",
      "Under faults: duplicates / losses",
      exactness(f),
      `orphans: ${int(v.orphans)} unrecorded conversation(s) from interrupted creates on ${v.orphanThreads} thread(s), ${v.orphanThreadsFlagged} of them flagged \`possible_orphan_conversation\` (${v.flagged} threads flagged in all)`,
      "",
      "0",
      judge({ id: "exactly-once-faults", goal: "under faults: no duplicates, no losses, every thread migrated", met: v.duplicates + v.losses === 0 && v.notMigrated === 0, result: exactness(f) }),
    );
  }

  const ex = r.export;
  if (ex) {
    const lv = ex.live;
    const mb = ex.bytes / 1e6;
    const ingestRate = mb / (ex.ingestMs / 1000);
    row("5", `Export: ${int(ex.threads)} × ${ex.messages} from one NDJSON file (${mb.toFixed(1)} MB) through \`POST /v1/exports\`: ingestion`, `${s(ex.ingestMs)} from the upload's start (upload ${s(ex.uploadMs)}) · **${ingestRate.toFixed(1)} MB/s** · ${(ex.threads / (ex.ingestMs / 1000)).toFixed(0)} threads registered/s`, "—", "", "—", "");
    row("5", "Export: migration, upload to every thread settled", `${s(ex.totalMs)} · **${(ex.threads / (ex.totalMs / 1000)).toFixed(1)} threads/s**${ex.timedOut ? " (timed out)" : ""}`, `live-source backfill of the same threads, same instance: ${s(lv.wallMs)} · ${(lv.threads / (lv.wallMs / 1000)).toFixed(1)} threads/s`, `${x(lv.wallMs / ex.totalMs, 1)} the live backfill's speed`, "—", "");
    const ratio = ex.calls.total / ex.minimumCalls;
    row("5", "Export: OpenAI calls ÷ minimum (writes only: the reads are R2's)", `${int(ex.calls.total)} ÷ ${int(ex.minimumCalls)}`, `live source: ${int(lv.calls.total)} ÷ ${int(lv.minimumCalls)} (thread read + message lists + writes)`, `**${ratio.toFixed(2)}**`, "1.00",
      judge({ id: "export-calls", goal: "export: OpenAI calls = the writes alone", met: ratio <= TARGET.callsHappy + 1e-9, result: `${ratio.toFixed(2)}; calls by route ${routesOf(ex.calls.byRoute)}` }));
    row("5", "Export: exactly once", exactness(ex), `live: ${exactness(lv)}`, "", "0",
      judge({ id: "export-exactly-once", goal: "export: no duplicates, no losses, every thread migrated", met: ex.verification.duplicates + ex.verification.losses === 0 && ex.verification.notMigrated === 0, result: exactness(ex) }));
    const worst = ex.memory.isolatePeak ?? ex.memory.heapPeak;
    row("5", "Export: memory during upload, ingestion and migration", `ferry's isolate, V8 heap in use at its peak **${mib(ex.memory.heapPeak)}**, whole isolate ${mib(ex.memory.isolatePeak)}`, `workerd RSS ${mib(ex.memory.rssBefore)} before, peak ${mib(ex.memory.rssPeak)}`, "", `≤ ${TARGET.hugeWellUnderMiB} MiB`,
      worst === null ? "n/a" : judge({ id: "export-memory", goal: `export: isolate memory well under ${TARGET.hugeMiB} MiB (≤ ${TARGET.hugeWellUnderMiB})`, met: worst <= TARGET.hugeWellUnderMiB * 2 ** 20, result: `peak ${mib(worst)}` }));
  }
  const big = r.bigExport;
  if (big) {
    const mb = big.bytes / 1e6;
    row("5", `Export: ${(big.bytes / 1e9).toFixed(2)} GB file (${int(big.threads)} threads × ${big.messages}), own instance: ingestion`,
      `${s(big.ingestMs)} (upload ${s(big.uploadMs)}) · **${(mb / (big.ingestMs / 1000)).toFixed(1)} MB/s** · ${big.export ? `${int(big.export.threads_registered)} registered, status ${big.export.status}` : "no answer"}${big.timedOut ? " (timed out)" : ""}`,
      `isolate heap peak **${mib(big.memory.heapPeak)}**, whole isolate ${mib(big.memory.isolatePeak)}; workerd RSS peak ${mib(big.memory.rssPeak)}`, "migrations queued, not waited for", "—", "");
  }

  const p = r.pacing;
  if (p) {
    const t = p.paced.target;
    const rate = t.sustainedPerMinute === null ? null : t.sustainedPerMinute / p.rpm;
    const refusedShare = t.total ? t.refused / t.total : 0;
    const u = p.unpaced.target;
    row(
      "8",
      `Pacing: ${int(p.paced.threads)} × 40 backfill under a limit of ${int(p.rpm)} calls/min (the fake's sliding window on the target's key) with \`OPENAI_MAX_RPM=${p.rpm}\`, a lazy migration a second beside it`,
      `${t.sustainedPerMinute === null ? "n/a (saturated for less than a minute)" : `${int(t.sustainedPerMinute)} calls/min sustained (mean of the whole minutes of the ${s(t.sustainedMs)} the backfill ran; the leanest ${int(t.leanestMinute!)})`}; busiest minute ${int(t.busiestMinute)}; ${pacingRunText(p.paced)}`,
      `limit ${int(p.rpm)} calls/min`,
      rate === null ? "—" : `**${rate.toFixed(2)}** of the limit`,
      `≥ ${TARGET.pacedRate.toFixed(2)}`,
      rate === null ? "n/a" : judge({ id: "pacing-rate", goal: `paced backfill: sustained calls/min ≥ ${TARGET.pacedRate.toFixed(2)} of the limit`, met: rate >= TARGET.pacedRate, result: `${rate.toFixed(2)} (${int(t.sustainedPerMinute!)} of ${int(p.rpm)}/min); busiest minute ${int(t.busiestMinute)}` }),
    );
    row(
      "8",
      "Pacing: target calls answered 429",
      `${int(t.refused)} of ${int(t.total)} (${(refusedShare * 100).toFixed(2)} %)`,
      `the same backfill unpaced: ${int(u.refused)} of ${int(u.total)} (${u.total ? ((u.refused / u.total) * 100).toFixed(1) : "0"} %); ${pacingRunText(p.unpaced)}; busiest minute ${int(u.busiestMinute)}`,
      `**${(refusedShare * 100).toFixed(2)} %**`,
      `≤ ${pctOf(TARGET.pacedRefused)}`,
      judge({ id: "pacing-429", goal: `paced backfill: ≤ ${pctOf(TARGET.pacedRefused)} of target calls answered 429`, met: refusedShare <= TARGET.pacedRefused, result: `${(refusedShare * 100).toFixed(2)} % (${int(t.refused)} of ${int(t.total)}); unpaced: ${int(u.refused)} of ${int(u.total)}` }),
    );
    const [a, b2] = [latencies(p.alone), latencies(p.beside)];
    row(
      "8",
      "Pacing: lazy migrations (30 messages, `POST …/migrate`) beside the backfill vs the same stream alone",
      `beside: p50 ${ms(b2.p50)} · p95 ${ms(b2.p95)} over ${int(p.beside.latenciesMs.length)}${p.beside.continued ? ` (${p.beside.continued} continued in the background)` : ""}`,
      `alone: p50 ${ms(a.p50)} · p95 ${ms(a.p95)} over ${int(p.alone.latenciesMs.length)}`,
      `${x(b2.p50 / a.p50)} p50 · ${x(b2.p95 / a.p95)} p95`,
      "—",
      "",
    );
  }

  if (r.scale?.length) {
    const [small, ...larger] = r.scale;
    for (const big of larger.length ? larger : []) {
      for (const route of big.routes) {
        const base = small!.routes.find((x2) => x2.name === route.name)!;
        row(
          "9",
          `At scale: ${route.name}, ${int(small!.threads)} → ${int(big.threads)} threads in local D1`,
          `${int(big.threads)}: p50 ${ms(route.p50Ms)} · p95 ${ms(route.p95Ms)} · ${int(route.rowsRead)} rows read (${route.statements} statements)`,
          `${int(small!.threads)}: p50 ${ms(base.p50Ms)} · p95 ${ms(base.p95Ms)} · ${int(base.rowsRead)} rows read`,
          `${x(route.p50Ms / base.p50Ms)} the latency · ${x(route.rowsRead / Math.max(1, base.rowsRead))} the rows, for ${x(big.threads / small!.threads, 0)} the threads`,
          "—",
          "",
        );
      }
    }
    const biggest = r.scale.at(-1)!;
    row(
      "9",
      "At scale: D1 bytes per thread (rows, indexes, kept counts; seeded as a finished migration leaves them)",
      r.scale.map((z) => `${int(z.threads)}: ${int(z.bytesPerThread)} B (database ${mib(z.databaseBytes)}, seeded in ${s(z.seedMs)})`).join(" · "),
      `D1's limit: ${D1_MAX_BYTES / 10 ** 9} GB`,
      `about **${(D1_MAX_BYTES / biggest.bytesPerThread / 1e6).toFixed(1)} million threads** a database`,
      "—",
      "",
    );
  }

  const unexplained = verdicts.filter((t) => !t.met && !explained.has(t.id)).map((t) => t.id);
  const measured = new Map<string, Verdict>(verdicts.map((t) => [t.id, t]));
  // A note for a target this run did not measure (e.g. --only) is left alone.
  const stale = [...explained].filter((id) => !(TARGET_IDS as readonly string[]).includes(id) || measured.get(id)?.met);
  lines.push(
    "",
    "## Targets",
    "",
    "Each target this run measured. Why one is missed is written by hand under Notes, below this generated part, in a section headed with its id.",
    "",
  );
  for (const t of verdicts) {
    const note = t.met ? "" : explained.has(t.id) ? ` → Notes › \`${t.id}\`` : ` → **not explained yet:** add a note headed \`${t.id}\``;
    lines.push(`- ${verdict(t.met)} \`${t.id}\` — ${t.goal}: ${t.result}${note}`);
  }
  for (const id of stale)
    lines.push(`- ⚠ Notes › \`${id}\` ${measured.has(id) ? "explains a miss, but this run met that target" : "names no target"}: revise or remove it`);

  lines.push("", "## Diagnostics", "");
  const diag = (name: string, res: BackfillResult | undefined) => {
    if (!res) return;
    lines.push(
      `- **${name}:** calls by route ${routes(res)}${Object.keys(res.calls.other).length ? ` (not counted: ${routesOf(res.calls.other)})` : ""}; thread span (first call → last answer) ${spanText(res)}; ` +
        `${inFlightText(res)}; CPU seconds during the part: ${cpuLine(res.cpu)} over ${s(res.wallMs)} wall.`,
    );
  };
  diag("Backfill", b);
  diag(`Backfill, QUEUE_CONCURRENCY=${r.compare?.concurrency}`, r.compare?.result);
  diag(`Huge thread (${h ? int(h.small.backfill.messages) : ""} messages)`, h?.small.backfill);
  diag(`Huge thread (${h ? int(h.big.backfill.messages) : ""} messages)`, h?.big.backfill);
  diag("Under faults", f);
  if (f) {
    lines.push(
      `- **Under faults, the tail:** ${milestonesText(f)}, all at ${s(f.wallMs)}; the slowest thread took ${f.calls.threadSpanMs ? `${int(f.calls.threadSpanMs.max)} ms` : "n/a"} from its first call to its last answer.`,
    );
  }
  if (r.pacing) {
    const tl = (run: PacingRun) => run.target.timeline.map((n) => int(n)).join(" ");
    lines.push(`- **Pacing, admitted target calls per 10 s:** paced ${tl(r.pacing.paced)}; unpaced ${tl(r.pacing.unpaced)}.`);
  }
  if (bl) lines.push(`- **Baseline:** calls by route ${routesOf(bl.calls.byRoute)}; ${bl.callsPerThread.toFixed(1)} calls per thread, one at a time: ${s(bl.callsPerThread * L)} of latency per thread.`);
  if (r.lookup) {
    const lk = r.lookup;
    lines.push(
      `- **Lookup:** ${int(lk.lookup.requests)} lookups and ${int(lk.healthz.requests)} healthz in ${lk.seconds} s each; ` +
        `CPU seconds: lookup ${cpuLine(lk.lookup.cpu)}; healthz ${cpuLine(lk.healthz.cpu)}; ` +
        `ferry's workerd per request: lookup ${perReq(lk.lookup, "worker")}, D1 lookup ${perReq(lk.d1, "worker")}, healthz ${perReq(lk.healthz, "worker")}.`,
    );
    for (const [name, pass] of Object.entries(lk.profiles)) {
      if (!pass) continue;
      lines.push(
        `- **CPU profile of ferry's isolate, ${name}** (separate pass of ${int(pass.requests)} requests under the profiler; busy ${(pass.busyMs / pass.requests).toFixed(2)} ms per request; frame — inclusive / self share of busy samples):`,
      );
      for (const p of pass.top) lines.push(`  - \`${p.frame}\` — ${pctOf(p.inclusive)} / ${pctOf(p.self)}`);
    }
  }
  return { markdown: lines.join("\n") + "\n", unexplained, stale };
}

function latencies(stream: LazyStream): { p50: number; p95: number } {
  const sorted = [...stream.latenciesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95) };
}

function pacingRunText(run: PacingRun): string {
  return `${s(run.wallMs)} for ${int(run.threads)} threads${run.unfinished ? `, **${int(run.unfinished)} not migrated**` : ""}${run.timedOut ? " (timed out)" : ""}`;
}

function routesOf(byRoute: Record<string, number>): string {
  return Object.entries(byRoute)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `\`${k}\` ${int(n)}`)
    .join(", ");
}
const routes = (r: BackfillResult) => routesOf(r.calls.byRoute);

function spanText(r: BackfillResult): string {
  const sp = r.calls.threadSpanMs;
  return sp ? `p50 ${int(sp.p50)} ms, p90 ${int(sp.p90)} ms, max ${int(sp.max)} ms` : "n/a";
}

/** When half, 90 % and 99 % of the threads had settled. */
function milestonesText(r: BackfillResult): string {
  return r.milestones.map((m) => `${Math.round(m.fraction * 100)} % done at ${s(m.ms)}`).join(", ");
}

/** Flags a part during which the rest of the machine used more than a quarter of a core. */
function busyNote(cpu: Record<string, number>, wallMs: number): string {
  const cores = (cpu.other ?? 0) / (wallMs / 1000);
  return cores > 0.25 ? ` ⚠ other processes used ${cores.toFixed(2)} cores meanwhile` : "";
}

/** CPU ms per completed request spent by one role during a load run. */
function perReqMs(r: LoadResult, role: string): number {
  const v = r.cpu[role];
  return v === undefined || !r.requests ? NaN : (v * 1000) / r.requests;
}
const perReq = (r: LoadResult, role: string) => `${perReqMs(r, role).toFixed(2)} ms CPU`;

function cpuLine(cpu: Record<string, number>): string {
  return Object.entries(cpu)
    .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
    .join(", ");
}
