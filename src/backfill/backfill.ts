import type { Database } from "../db/client";
import type { BackfillRun, ThreadStatus } from "../db/schema";
import { countEnqueued, createRun } from "../db/runs";
import { findBackfillCandidates, markEnqueued } from "../db/threads";
import { type MigrationsQueue } from "../queue/messages";
import { sendAll } from "../queue/send";

/** Threads selected per page, and pages one invocation enqueues before handing the rest to the queue. */
const PAGE_SIZE = 500;
const PAGES_PER_INVOCATION = 10;

/**
 * Starts a backfill run over the known threads, the source's own list of threads (contract §6.1)
 * and its assistants (contract §5). The fan-out and both listings travel over the queue page by
 * page, so a run over any number of threads stays within one invocation's limits, and the HTTP
 * trigger answers at once.
 */
export async function startBackfill(db: Database, queue: MigrationsQueue, trigger: BackfillRun["trigger"], now: number): Promise<BackfillRun> {
  const run = await createRun(db, trigger, now);
  await queue.sendBatch([
    { body: { type: "backfill_page", run_id: run.id, after: null } },
    { body: { type: "discover_assistants", run_id: run.id, after: null } },
    { body: { type: "discover_threads", run_id: run.id } },
  ]);
  return run;
}

/**
 * Sends each thread its backfill message for the run. Sending before marking means a crash in
 * between only sends a thread twice, which the lease and the `migrated` check make harmless.
 */
export async function enqueueForRun(db: Database, queue: MigrationsQueue, rows: readonly { id: string; status: ThreadStatus }[], runId: string, now: number): Promise<void> {
  if (!rows.length) return;
  // A migrated thread is here for its failed files check; every other one for its migration.
  await sendAll(queue, rows.map(({ id: thread_id, status }) => ({ type: status === "migrated" ? "sync_thread_files" : "migrate_thread", thread_id })));
  await markEnqueued(db, rows.map((r) => r.id), now, runId);
}

/** Enqueues the run's next pages of threads. */
export async function fanOutPage(db: Database, queue: MigrationsQueue, runId: string, after: string | null, now: number): Promise<void> {
  let cursor = after;
  for (let page = 0; page < PAGES_PER_INVOCATION; page++) {
    const rows = await findBackfillCandidates(db, cursor, now, PAGE_SIZE);
    const ids = rows.map((r) => r.id);
    await enqueueForRun(db, queue, rows, runId, now);
    const last = ids.length < PAGE_SIZE;
    await countEnqueued(db, runId, ids.length, last ? now : null);
    if (last) return;
    cursor = ids.at(-1)!;
  }
  await queue.send({ type: "backfill_page", run_id: runId, after: cursor });
}
