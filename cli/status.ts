// `ferry status [--watch]`: GET /v1/status once, or followed with a progress bar and ETA.
import { setTimeout as sleep } from "node:timers/promises";
import type { MigrationStatus } from "../src/handlers/http/schemas";
import { call, type Connection } from "./client";
import { count, progressBar, type OutputFlags } from "./output";

export const getStatus = (conn: Connection) => call<MigrationStatus>(conn, "GET", "/v1/status");

const percent = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : "–");

const pacer = (p: MigrationStatus["pacing"]["source"]) =>
  p ? `${count(p.current_rpm)} of ${count(p.max_rpm)} calls/min${p.paused_for_seconds > 0 ? `, held back ${p.paused_for_seconds} s by a 429` : ""}` : "unpaced";

export function renderStatus(s: MigrationStatus): string {
  const t = s.threads;
  const days = Math.floor(s.seconds_until_shutdown / 86_400);
  const run = s.last_backfill;
  return [
    `threads     ${count(t.migrated)} / ${count(t.total)} migrated (${percent(t.migrated, t.total)})`,
    `            pending ${count(t.pending)} · migrating ${count(t.migrating)} · failed ${count(t.failed)} · source unavailable ${count(t.source_unavailable)} · remaining ${count(s.remaining)}`,
    `throughput  ${count(Math.round(s.throughput.last_24h.threads_per_hour))} threads/h over the last 24 h${s.throughput.last_run ? `, ${count(Math.round(s.throughput.last_run.threads_per_hour))}/h in the last run` : ""}`,
    `shutdown    ${s.shutdown_at} (${days >= 0 ? `in ${days} days` : `${-days} days ago`}); projected finish ${s.projected_finish_at ?? "unknown"}: ${s.on_track ? "on track" : "LATE"}`,
    `assistants  ${count(s.assistants.synced)} / ${count(s.assistants.total)} synced (failed ${count(s.assistants.failed)}) · files ${count(s.files.completed)} / ${count(s.files.total)} completed (failed ${count(s.files.failed)})`,
    `backfill    ${s.paused ? `PAUSED since ${s.paused_since} (ferry resume); ` : ""}${run ? `last run ${run.trigger} at ${run.started_at}: ${count(run.enqueued)} enqueued, ${run.drained_at ? `drained ${run.drained_at}` : "still draining"}` : "never ran"}`,
    `pacing      source ${pacer(s.pacing.source)} · target ${pacer(s.pacing.target)}`,
    `problems    dead-lettered ${count(s.dead_lettered)} · malformed messages ${count(s.malformed_messages)}${s.last_failure ? ` · last failure ${s.last_failure.thread_id}: ${s.last_failure.error?.message ?? s.last_failure.status}` : ""}`,
  ].join("\n");
}

export interface WatchOptions extends OutputFlags {
  intervalSeconds: number;
}

/**
 * Polls until nothing is left to migrate or Ctrl-C, the usual way to stop watching (so it exits
 * 0): a bar of migrated threads on a terminal, otherwise a line a poll (JSON with --json).
 */
export async function watchStatus(conn: Connection, opts: WatchOptions): Promise<void> {
  const tty = process.stderr.isTTY && !opts.json;
  // A migration's pace is measured over hours, not the seconds of a watch: ferry's projection is the ETA.
  const bar = progressBar("migrated", "threads", "finish {finish}");
  const interrupted = new AbortController();
  const stop = () => interrupted.abort();
  process.once("SIGINT", stop);
  let started = false;
  try {
    while (!interrupted.signal.aborted) {
      const s = await getStatus(conn);
      const payload = {
        rate: `${count(Math.round(s.throughput.last_24h.threads_per_hour))} threads/h, ${count(s.threads.pending)} pending, ${count(s.threads.failed)} failed`,
        finish: `${s.projected_finish_at ?? "unknown"} (${s.on_track ? "on track" : "LATE"}, shutdown ${s.shutdown_at})`,
      };
      if (tty) {
        if (!started) bar.start(s.threads.total, s.threads.migrated, payload);
        bar.setTotal(s.threads.total);
        bar.update(s.threads.migrated, payload);
        started = true;
      } else {
        process.stdout.write(opts.json ? `${JSON.stringify(s)}\n` : `${new Date().toISOString()} ${s.threads.migrated}/${s.threads.total} migrated, ${s.remaining} remaining\n`);
      }
      if (s.remaining === 0) return;
      await sleep(opts.intervalSeconds * 1000, undefined, { signal: interrupted.signal }).catch(() => undefined);
    }
  } finally {
    bar.stop();
    process.off("SIGINT", stop);
  }
}
