// `npm run bench`: ferry against the sequential baseline and against its limits, in one run.
// See bench/README.md. Everything runs on loopback; every wait is bounded in time.
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { FAULT_MIX, NO_RANDOM_FAULTS, startFakeOpenAI, type FakeOpenAI, type RandomFaults } from "../fake-openai/index";
import { runBackfill, seedThreads } from "./backfill";
import { runBaseline } from "./baseline";
import { runBigExport, runExport } from "./exports";
import { describeEnvironment } from "./environment";
import { runHuge } from "./huge";
import { disableNetworkTracing } from "./inspector";
import { runLookup } from "./lookup";
import { runPacing } from "./pacing";
import { runScale } from "./scale";
import { HELP, parseOptions, UsageError, type BenchOptions, type Part } from "./options";
import { renderReport, type Results } from "./report";
import { explainedTargets, writeResults } from "./results-file";
import {
  FAKE_KEY,
  prepareWorkspace,
  readConsumerSettings,
  removeWorkspace,
  repoRoot,
  SOURCE_KEY,
  startFerry,
  stopAll,
  waitForQuiet,
  type FerryInstance,
  type Workspace,
} from "./stack";

let options: BenchOptions;
try {
  options = parseOptions(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.log(err.detail ? `${err.detail}\n\n${HELP}` : HELP);
  process.exit(err.detail ? 2 : 0);
}

const t0 = performance.now();
const log = (msg: string) => console.error(`[bench +${((performance.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
let fake: FakeOpenAI | undefined;
let ws: Workspace | undefined;
let cleaning = false;

async function cleanup(): Promise<void> {
  if (cleaning) return;
  cleaning = true;
  await stopAll();
  await fake?.close();
  if (ws) removeWorkspace(ws);
}
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(sig, () => {
    log(`${sig}: stopping`);
    void cleanup().then(() => process.exit(130));
  });
}

try {
  await main(options);
  await cleanup();
  process.exit(0);
} catch (err) {
  console.error(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  if (ws) log(`wrangler logs were in ${ws.dir} (removed)`);
  await cleanup();
  process.exit(1);
}

async function main(o: BenchOptions): Promise<void> {
  // Long enough for a slow machine, short enough that a stuck run ends by itself.
  const timeoutMs = o.quick ? 40_000 : 900_000;
  const faultMix: RandomFaults = { ...FAULT_MIX, seed: o.faultSeed };

  fake = await startFakeOpenAI({ port: 0, apiKeys: [FAKE_KEY], latencyMs: o.latencyMs });
  log(`fake OpenAI on ${fake.url} with ${o.latencyMs} ms per call`);
  log("snapshotting src/ and applying D1 migrations");
  ws = await prepareWorkspace();
  const consumer = readConsumerSettings(ws.appDir);
  const concurrency = o.queueConcurrency
    ? { value: o.queueConcurrency, source: "--var" }
    : { value: defaultConcurrency(ws.appDir), source: "ferry's default, src/config.ts" };
  const extraVars: Record<string, string> = o.queueConcurrency ? { QUEUE_CONCURRENCY: String(o.queueConcurrency) } : {};
  const results: Results = { options: o, env: describeEnvironment(), consumer, concurrency, faultMix, networkTracing: o.devtoolsNetwork ? "on (--devtools-network)" : "off", runSeconds: 0 };

  if (["backfill", "lookup", "baseline", "faults"].some((p) => o.parts.has(p as Part))) {
    const ferry = await start(ws, "main", fake, extraVars, results);
    let migratedIds: string[] = [];
    try {
      if (o.parts.has("backfill")) {
        const ids = seedThreads(fake, "backfill", o.threads, o.messages);
        await quiet(ferry, "backfill");
        log(`backfill: ${o.threads} threads × ${o.messages} messages`);
        results.backfill = await runBackfill(fake, ferry, ids, o.messages, timeoutMs);
        log(`backfill: ${(results.backfill.wallMs / 1000).toFixed(2)} s, ${results.backfill.calls.total} calls`);
        migratedIds = ids;
      }
      if (o.parts.has("baseline")) {
        const ids = seedThreads(fake, "baseline", o.threads, o.messages);
        await quiet(ferry, "baseline");
        log(`baseline: sequential openai-SDK script over ${o.threads} threads`);
        results.baseline = await runBaseline(fake, ids, o.messages);
        log(`baseline: ${(results.baseline.wallMs / 1000).toFixed(2)} s`);
      }
      if (o.parts.has("faults")) {
        const ids = seedThreads(fake, "faults", o.threads, o.messages);
        await quiet(ferry, "faults");
        log("faults: the backfill again under random faults");
        fake.state.configure({ random: faultMix });
        try {
          results.faults = await runBackfill(fake, ferry, ids, o.messages, timeoutMs);
        } finally {
          fake.state.configure({ random: NO_RANDOM_FAULTS });
        }
        log(`faults: ${(results.faults.wallMs / 1000).toFixed(2)} s, ${results.faults.calls.total} calls`);
      }
      // Last on this instance: its D1 measurement imports pending threads a later backfill would pick up.
      if (o.parts.has("lookup") && migratedIds.length) {
        await quiet(ferry, "lookup");
        log(`lookup: autocannon ${o.lookupSeconds} s × ${o.connections} connections, healthz then lookup`);
        results.lookup = await runLookup(ferry, migratedIds, o.lookupSeconds, o.connections);
        log(`lookup: ${results.lookup.lookup.rps.toFixed(0)} req/s vs healthz ${results.lookup.healthz.rps.toFixed(0)} req/s`);
      }
    } finally {
      await ferry.stop();
    }
  }

  if (o.parts.has("huge")) {
    const ferry = await start(ws, "huge", fake, extraVars, results);
    try {
      await quiet(ferry, "huge");
      log(`huge: a thread of ${Math.max(100, Math.round(o.hugeMessages / 10))} then one of ${o.hugeMessages} messages on a fresh instance`);
      results.huge = await runHuge(fake, ferry, o.hugeMessages, timeoutMs);
      log(`huge: ${(results.huge.big.backfill.wallMs / 1000).toFixed(2)} s (after ${(results.huge.small.backfill.wallMs / 1000).toFixed(2)} s for the small one)`);
    } finally {
      await ferry.stop();
    }
  }

  if (o.parts.has("export")) {
    // Uploads larger than the platform's request size are refused in production; locally there is no platform limit to meet.
    const vars = { ...extraVars, EXPORT_UPLOAD_MAX_BYTES: String(1e12) };
    const ferry = await start(ws, "export", fake, vars, results);
    try {
      await quiet(ferry, "export");
      log(`export: ${o.threads} threads × ${o.messages} messages from the live source, then the same from one NDJSON file`);
      results.export = await runExport(fake, ferry, ws.dir, o.threads, o.messages, timeoutMs);
      log(`export: ingested in ${(results.export.ingestMs / 1000).toFixed(2)} s, all settled in ${(results.export.totalMs / 1000).toFixed(2)} s`);
    } finally {
      await ferry.stop();
    }
    if (o.exportGb) {
      const big = await start(ws, "export-gb", fake, vars, results);
      try {
        await quiet(big, "export-gb");
        log(`export: writing and ingesting a ${o.exportGb} GB file`);
        results.bigExport = await runBigExport(big, ws.dir, o.exportGb, o.messages, 4 * 3_600_000);
        log(`export: ${o.exportGb} GB ingested in ${(results.bigExport.ingestMs / 1000).toFixed(1)} s`);
      } finally {
        await big.stop();
      }
    }
  }

  if (o.compareConcurrency && o.parts.has("backfill")) {
    const ferry = await start(ws, "compare", fake, { ...extraVars, QUEUE_CONCURRENCY: String(o.compareConcurrency) }, results);
    try {
      const ids = seedThreads(fake, "compare", o.threads, o.messages);
      await quiet(ferry, "compare");
      log(`backfill with QUEUE_CONCURRENCY=${o.compareConcurrency}`);
      results.compare = { concurrency: o.compareConcurrency, result: await runBackfill(fake, ferry, ids, o.messages, timeoutMs) };
      log(`compare: ${(results.compare.result.wallMs / 1000).toFixed(2)} s`);
    } finally {
      await ferry.stop();
    }
  }

  if (o.parts.has("pacing")) {
    log(`pacing: the fake limits the target's key to ${o.pacingRpm} calls/min; ${o.pacingThreads} threads under OPENAI_MAX_RPM=${o.pacingRpm} beside lazy migrations, then unpaced`);
    const targetKeys = { paced: `${FAKE_KEY}-paced`, unpaced: `${FAKE_KEY}-unpaced` };
    fake.state.configure({ apiKeys: [FAKE_KEY, SOURCE_KEY, targetKeys.paced, targetKeys.unpaced], rateLimit: { requests: o.pacingRpm, keys: [targetKeys.paced, targetKeys.unpaced] } });
    let instance = 0;
    try {
      results.pacing = await runPacing(fake, (vars) => start(ws!, `pacing-${instance++}`, fake!, { ...extraVars, ...vars }, results), {
        rpm: o.pacingRpm,
        threads: o.pacingThreads,
        aloneMs: o.pacingAloneMs,
        // The slow start, then 2 target calls a thread at the limit, twice over: the run is paced by design.
        timeoutMs: Math.max(timeoutMs, 2 * (63_000 + (2 * o.pacingThreads * 60_000) / o.pacingRpm)),
        sourceKey: SOURCE_KEY,
        targetKeys,
      });
    } finally {
      fake.state.configure({ apiKeys: [FAKE_KEY], rateLimit: null });
    }
    log(`pacing: ${results.pacing.paced.target.sustainedPerMinute?.toFixed(0) ?? "n/a"} calls/min sustained, ${results.pacing.paced.target.refused} refused; unpaced ${results.pacing.unpaced.target.refused} refused`);
  }

  if (o.parts.has("scale")) {
    results.scale = await runScale(ws, o.scaleSizes, o.scaleRequests, (name, persistTo) => start(ws!, name, fake!, extraVars, results, persistTo), log);
  }

  results.runSeconds = (performance.now() - t0) / 1000;
  const out = path.resolve(repoRoot, o.out);
  const report = renderReport(results, explainedTargets(out));
  mkdirSync(path.dirname(out), { recursive: true });
  writeResults(out, report.markdown);
  console.log(report.markdown);
  const where = path.relative(repoRoot, out);
  log(`written to ${where} (its hand-written notes kept)`);
  if (report.unexplained.length) log(`missed, with no note in ${where} yet: ${report.unexplained.join(", ")}`);
  if (report.stale.length) log(`notes in ${where} that no longer fit this run: ${report.stale.join(", ")}`);
}

/** Before a measured part: give someone else's burst of CPU on this machine a bounded chance to pass. */
async function quiet(ferry: FerryInstance, part: string): Promise<void> {
  const started = performance.now();
  const other = await waitForQuiet(ferry.pgid, options.quick ? 2_000 : 120_000);
  const waited = (performance.now() - started) / 1000;
  if (other !== null && (other >= 0.25 || waited > 1.5)) {
    log(`${part}: other processes were using ${other.toFixed(2)} cores (waited ${waited.toFixed(0)} s for a quiet machine)`);
  }
}

async function start(workspace: Workspace, name: string, f: FakeOpenAI, vars: Record<string, string>, results: Results, persistTo?: string): Promise<FerryInstance> {
  log(`starting wrangler dev (${name}${Object.keys(vars).length ? `, ${Object.entries(vars).map(([k, v]) => `${k}=${v}`).join(" ")}` : ""})`);
  const ferry = await startFerry({ ws: workspace, name, fakeUrl: f.url, extraVars: vars, persistTo });
  log(`ferry on ${ferry.url}`);
  if (!results.options.devtoolsNetwork && !(await disableNetworkTracing(ferry.inspectorPort))) {
    results.networkTracing = "on (could not switch it off: no WebSocket or no inspector)";
    log("could not switch DevTools network tracing off; numbers include wrangler's forwarding cost");
  }
  return ferry;
}

/** ferry's own default QUEUE_CONCURRENCY, read from the snapshot so the report cannot drift from it. */
function defaultConcurrency(appDir: string): number {
  const src = readFileSync(path.join(appDir, "src/config.ts"), "utf8");
  return Number(/"QUEUE_CONCURRENCY"\s*,\s*(\d+)\s*\)/.exec(src)?.[1] ?? NaN);
}
