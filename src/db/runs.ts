import { and, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Database } from "./client";
import { backfillRuns, threads, type BackfillRun, type StoredError } from "./schema";

export async function createRun(db: Database, trigger: BackfillRun["trigger"], now: number): Promise<BackfillRun> {
  const id = `run_${now.toString(36)}${crypto.randomUUID().slice(0, 8)}`;
  return (await db.insert(backfillRuns).values({ id, trigger, startedAt: now }).returning().get())!;
}

/** A run's fan-out or discovery failed (last error first, for the dead-letter consumer to keep). */
export async function recordRunError(db: Database, id: string, error: StoredError): Promise<void> {
  await db.update(backfillRuns).set({ error }).where(eq(backfillRuns.id, id)).run();
}

/** The queue gave up on the run's fan-out or discovery: the run keeps its last error. */
export async function failRun(db: Database, id: string): Promise<void> {
  await db
    .update(backfillRuns)
    .set({ error: sql`coalesce(${backfillRuns.error}, json_object('code', 'dead_lettered', 'message', 'the queue gave up on this run''s fan-out after its retries'))` })
    .where(eq(backfillRuns.id, id))
    .run();
}

export async function latestRun(db: Database): Promise<BackfillRun | undefined> {
  return db.select().from(backfillRuns).orderBy(desc(backfillRuns.startedAt)).limit(1).get();
}

export async function countEnqueued(db: Database, id: string, added: number, fanOutDoneAt: number | null): Promise<void> {
  await db
    .update(backfillRuns)
    .set({ enqueued: sql`${backfillRuns.enqueued} + ${added}`, ...(fanOutDoneAt ? { fanOutDoneAt } : {}) })
    .where(eq(backfillRuns.id, id))
    .run();
}

/**
 * Marks runs drained once none of their threads is still waiting or in progress. Every queue
 * invocation asks, so each question reads at most one row: the open runs (a partial index holds
 * only undrained ones) and, per run, whether one busy thread exists.
 */
export async function markDrainedRuns(db: Database, now: number): Promise<void> {
  const open = await db
    .select({ id: backfillRuns.id })
    .from(backfillRuns)
    .where(and(isNull(backfillRuns.drainedAt), isNotNull(backfillRuns.fanOutDoneAt)))
    .all();
  for (const { id } of open) {
    const busy = await db
      .select({ id: threads.threadId })
      .from(threads)
      .where(and(eq(threads.queuedRunId, id), inArray(threads.status, ["pending", "migrating"])))
      .limit(1)
      .get();
    if (!busy) await db.update(backfillRuns).set({ drainedAt: now }).where(eq(backfillRuns.id, id)).run();
  }
}
