// Cron triggers: the nightly backfill picks exactly the right threads, in batches within the
// platform's limits; the sweep re-sends stalled migrations and forgets old webhook ids.
import { createScheduledController, env } from "cloudflare:test";
import { beforeEach, expect, it } from "vitest";
import { fanOutPage } from "../../src/backfill/backfill";
import { NIGHTLY_BACKFILL, onSchedule, SWEEP } from "../../src/handlers/scheduled";
import { createDb } from "../../src/db/client";
import type { MigrationsQueue, QueueMessage } from "../../src/queue/messages";
import { planBatches } from "../../src/queue/send";

const HOUR = 3_600_000;
const now = Date.UTC(2026, 5, 1, 3, 0, 0);

/** A queue that records what it was given, to check batch sizes. */
function recordingQueue() {
  const sends: QueueMessage[][] = [];
  const queue = {
    send: async (body: QueueMessage) => void sends.push([body]),
    sendBatch: async (batch: { body: QueueMessage }[]) => void sends.push(batch.map((m) => m.body)),
  } as unknown as MigrationsQueue;
  return { queue, sends, env: { ...env, MIGRATIONS: queue } as Env };
}

async function seed(rows: { id: string; status: string; next?: number | null; enqueued?: number | null; lease?: [string, number] | null; updated?: number }[]) {
  await env.DB.prepare("delete from threads").run();
  for (const r of rows) {
    await env.DB.prepare(
      "insert into threads (thread_id, status, next_attempt_at, enqueued_at, lease_owner, lease_until, updated_at) values (?, ?, ?, ?, ?, ?, ?)",
    )
      .bind(r.id, r.status, r.next ?? null, r.enqueued ?? null, r.lease?.[0] ?? null, r.lease?.[1] ?? null, r.updated ?? now)
      .run();
  }
}

beforeEach(() => env.DB.prepare("delete from backfill_runs").run());

it("the nightly backfill picks pending threads and failed/source_unavailable ones whose time has come", async () => {
  await seed([
    { id: "thread_pending", status: "pending" },
    { id: "thread_pending_enqueued_recently", status: "pending", enqueued: now - HOUR },
    { id: "thread_pending_enqueued_long_ago", status: "pending", enqueued: now - 7 * HOUR },
    { id: "thread_failed_due", status: "failed", next: now - 1 },
    { id: "thread_failed_later", status: "failed", next: now + HOUR },
    { id: "thread_gone_due", status: "source_unavailable", next: now - HOUR },
    { id: "thread_gone_checked_today", status: "source_unavailable", next: now + 20 * HOUR },
    { id: "thread_migrated", status: "migrated" },
    { id: "thread_migrating", status: "migrating", lease: ["someone", now + HOUR] },
  ]);
  const { sends, env: recordingEnv } = recordingQueue();
  await onSchedule(createScheduledController({ cron: NIGHTLY_BACKFILL, scheduledTime: now }), recordingEnv);
  expect(sends).toHaveLength(1);
  const [[start]] = sends as [[Extract<QueueMessage, { type: "backfill_page" }>]];
  expect(start).toMatchObject({ type: "backfill_page", after: null });

  await fanOutPage(createDb(env.DB), recordingQueue().queue, start.run_id, null, now);
  const chosen = await env.DB.prepare("select thread_id from threads where queued_run_id = ? order by 1").bind(start.run_id).all();
  expect(chosen.results.map((r) => r.thread_id)).toEqual([
    "thread_failed_due",
    "thread_gone_due",
    "thread_pending",
    "thread_pending_enqueued_long_ago",
  ]);
  const run = await env.DB.prepare("select enqueued, fan_out_done_at from backfill_runs where id = ?").bind(start.run_id).first();
  expect(run).toEqual({ enqueued: 4, fan_out_done_at: now });
});

it("enqueues 1,234 threads in sendBatch calls of at most 100 messages", async () => {
  await seed(Array.from({ length: 1234 }, (_, i) => ({ id: `thread_bulk${String(i).padStart(5, "0")}`, status: "pending" })));
  const { queue, sends } = recordingQueue();
  await fanOutPage(createDb(env.DB), queue, "run_bulk", null, now);
  const batches = sends.filter((b) => b[0]?.type === "migrate_thread");
  expect(batches.every((b) => b.length <= 100)).toBe(true);
  const sent = batches.flat().map((m) => (m as { thread_id: string }).thread_id);
  expect(sent).toHaveLength(1234);
  expect(new Set(sent).size).toBe(1234);
});

it("planBatches keeps each sendBatch under 100 messages and 256 KB", () => {
  const small = Array.from({ length: 250 }, (_, i): QueueMessage => ({ type: "migrate_thread", thread_id: `thread_${i}` }));
  expect(planBatches(small).map((b) => b.length)).toEqual([100, 100, 50]);
  const big = Array.from({ length: 40 }, (_, i) => ({ type: "migrate_thread", thread_id: `thread_${i}`, pad: "x".repeat(20_000) }) as QueueMessage);
  const batches = planBatches(big);
  for (const b of batches) expect(new TextEncoder().encode(JSON.stringify(b)).length + b.length * 100).toBeLessThanOrEqual(256 * 1024);
  expect(batches.flat()).toHaveLength(40);
});

it("the sweep re-sends migrations whose holder died or whose hand-over was lost, once", async () => {
  await seed([
    { id: "thread_dead_holder", status: "migrating", lease: ["gone", now - 1] },
    { id: "thread_live_holder", status: "migrating", lease: ["alive", now + 30_000] },
    { id: "thread_lost_handover", status: "migrating", updated: now - HOUR },
    { id: "thread_recent_handover", status: "migrating", updated: now - 60_000 },
    { id: "thread_waiting_retry", status: "migrating", updated: now - HOUR, next: now + 60_000 },
    { id: "thread_pending", status: "pending", updated: now - HOUR },
  ]);
  await env.DB.prepare("insert into webhook_deliveries values ('old', ?), ('new', ?)").bind(now - 25 * HOUR, now - HOUR).run();
  const first = recordingQueue();
  await onSchedule(createScheduledController({ cron: SWEEP, scheduledTime: now }), first.env);
  expect(first.sends.flat()).toEqual([
    { type: "continue_thread", thread_id: "thread_dead_holder" },
    { type: "continue_thread", thread_id: "thread_lost_handover" },
  ]);
  const ids = await env.DB.prepare("select webhook_id from webhook_deliveries").all();
  expect(ids.results).toEqual([{ webhook_id: "new" }]);

  const again = recordingQueue();
  await onSchedule(createScheduledController({ cron: SWEEP, scheduledTime: now + 10_000 }), again.env);
  expect(again.sends.flat()).toEqual([]); // sent seconds ago: not again
});
