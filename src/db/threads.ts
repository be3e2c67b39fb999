import { and, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import { IDS_PER_STATEMENT, insertNewIds, preparedOnce, type Database } from "./client";
import { BACKFILL_WORK, threads, type StoredError, type ThreadRow, type ThreadStatus } from "./schema";


// The lookup route's only query: prepared once, it costs a D1 call and no query building.
const threadById = preparedOnce((db) => db.select().from(threads).where(eq(threads.threadId, sql.placeholder("id"))).prepare());

export async function findThread(db: Database, threadId: string): Promise<ThreadRow | undefined> {
  return threadById(db).get({ id: threadId });
}

export async function findThreads(db: Database, threadIds: readonly string[]): Promise<ThreadRow[]> {
  const rows: ThreadRow[] = [];
  for (let i = 0; i < threadIds.length; i += IDS_PER_STATEMENT) {
    const ids = threadIds.slice(i, i + IDS_PER_STATEMENT);
    rows.push(...(await db.select().from(threads).where(inArray(threads.threadId, ids)).all()));
  }
  return rows;
}

/** Registers threads as pending; known ones are left as they are. Returns how many were new. */
export function registerThreads(db: Database, threadIds: readonly string[]): Promise<number> {
  return insertNewIds(db, threads, "thread_id", threadIds);
}

/**
 * Registers the thread if new and takes its migration lease with one conditional UPDATE: only one holder at a time, and an
 * expired lease can be taken over. A lease that expired instead of being released means its holder
 * died, possibly mid-write, so the new holder must reconcile before writing.
 */
export async function acquireLease(
  db: Database,
  threadId: string,
  owner: string,
  now: number,
  leaseMs: number,
): Promise<ThreadRow | undefined> {
  const [, taken] = await db.batch([
    db.insert(threads).values({ threadId }).onConflictDoNothing(),
    db
      .update(threads)
      .set({
        leaseOwner: owner,
        leaseUntil: now + leaseMs,
        status: "migrating",
        needsReconcile: sql`case when ${threads.leaseOwner} is not null then 1 else ${threads.needsReconcile} end`,
        updatedAt: now,
      })
      .where(
        and(
          eq(threads.threadId, threadId),
          sql`${threads.status} <> 'migrated'`,
          or(isNull(threads.leaseOwner), lt(threads.leaseUntil, now)),
        ),
      )
      .returning(),
  ]);
  return taken[0];
}

export type Checkpoint = Partial<
  Pick<
    ThreadRow,
    | "conversationId"
    | "cursor"
    | "lastItemId"
    | "recentMessageIds"
    | "attempts"
    | "messagesMigrated"
    | "itemsWritten"
    | "entryItemsWritten"
    | "warnings"
    | "toolResources"
    | "attachedFiles"
    | "metadataOverflow"
    | "leaseUntil"
    | "needsReconcile"
  >
>;

/** The lease is this holder's and has not run out: a holder past its lease never records anything (contract §4.7). */
const leaseHeld = (threadId: string, owner: string, now: number) =>
  and(eq(threads.threadId, threadId), eq(threads.leaseOwner, owner), gt(threads.leaseUntil, now));

/** Records progress while holding the lease; false when the lease ran out or was taken over. */
export async function saveCheckpoint(db: Database, threadId: string, owner: string, checkpoint: Checkpoint, now: number) {
  const row = await db
    .update(threads)
    .set({ ...checkpoint, updatedAt: now })
    .where(leaseHeld(threadId, owner, now))
    .returning({ id: threads.threadId })
    .get();
  return row !== undefined;
}

export interface Release extends Checkpoint {
  status: ThreadStatus;
  error?: StoredError | null;
  nextAttemptAt?: number | null;
  migratedAt?: number | null;
}

/** Ends this holder's turn: final state or a hand-over, and the lease freed for the next one. */
export async function releaseLease(
  db: Database,
  threadId: string,
  owner: string,
  release: Release,
  now: number,
): Promise<ThreadRow | undefined> {
  return db
    .update(threads)
    .set({ ...release, leaseOwner: null, leaseUntil: null, updatedAt: now })
    .where(leaseHeld(threadId, owner, now))
    .returning()
    .get();
}

/** A thread enqueued this recently is not enqueued again: its message is still on its way. */
const ENQUEUE_GRACE_MS = 6 * 60 * 60 * 1000;

/**
 * What the backfill works on: pending threads, failed or source_unavailable ones whose retry time
 * has come, and migrated ones whose files check failed and is due again — unless a message for
 * them was sent recently.
 */
function backfillDue(now: number) {
  const due = or(isNull(threads.nextAttemptAt), lte(threads.nextAttemptAt, now));
  return and(
    or(isNull(threads.enqueuedAt), lt(threads.enqueuedAt, now - ENQUEUE_GRACE_MS)),
    or(
      eq(threads.status, "pending"),
      and(inArray(threads.status, ["failed", "source_unavailable"]), due),
      and(eq(threads.status, "migrated"), eq(threads.filesStatus, "failed"), due),
    ),
  );
}

/**
 * The backfill's work, one keyset page at a time. It walks the partial index of threads with work
 * (BACKFILL_WORK), so it reads the threads with work after the cursor, never the migrated ones.
 */
export async function findBackfillCandidates(db: Database, after: string | null, now: number, limit: number): Promise<{ id: string; status: ThreadStatus }[]> {
  const where = and(BACKFILL_WORK, after ? gt(threads.threadId, after) : undefined, backfillDue(now));
  // INDEXED BY: left to itself the planner reads every thread of those statuses through the status
  // index and sorts them, for each page; the partial index yields them in id order, a page's worth.
  return db.all(
    sql`select ${threads.threadId} as id, ${threads.status} as status from ${threads} indexed by threads_backfill_work where ${where} order by ${threads.threadId} limit ${limit}`,
  );
}

/** The backfill's work among these threads (a page the source listed). */
export async function findBackfillCandidatesAmong(db: Database, threadIds: readonly string[], now: number) {
  const rows: { id: string; status: ThreadStatus }[] = [];
  for (let i = 0; i < threadIds.length; i += IDS_PER_STATEMENT) {
    const ids = threadIds.slice(i, i + IDS_PER_STATEMENT);
    rows.push(...(await db.select({ id: threads.threadId, status: threads.status }).from(threads).where(and(inArray(threads.threadId, ids), backfillDue(now))).all()));
  }
  return rows;
}

export async function markEnqueued(db: Database, threadIds: readonly string[], now: number, runId: string | null = null) {
  for (let i = 0; i < threadIds.length; i += IDS_PER_STATEMENT) {
    const ids = threadIds.slice(i, i + IDS_PER_STATEMENT);
    await db
      .update(threads)
      .set({ enqueuedAt: now, ...(runId ? { queuedRunId: runId } : {}) })
      .where(inArray(threads.threadId, ids))
      .run();
  }
}

/** How long a handed-over thread may sit without progress before the sweep sends it again. */
const STALL_MS = 30 * 60 * 1000;
/** The sweep sends a thread again at most this often. */
const RESEND_MS = 10 * 60 * 1000;

/**
 * Migrations that stopped without finishing: a holder died (its lease expired), or a hand-over
 * message was lost (no lease, no progress for a while, no retry pending).
 */
export async function findStalledThreads(db: Database, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: threads.threadId })
    .from(threads)
    .where(
      and(
        eq(threads.status, "migrating"),
        or(isNull(threads.enqueuedAt), lt(threads.enqueuedAt, now - RESEND_MS)),
        or(
          and(isNotNull(threads.leaseOwner), lt(threads.leaseUntil, now)),
          and(isNull(threads.leaseOwner), lt(threads.updatedAt, now - STALL_MS), or(isNull(threads.nextAttemptAt), lte(threads.nextAttemptAt, now))),
        ),
      ),
    )
    // In id order, not whichever index the planner picks (threads_status_updated would give updated_at order).
    .orderBy(threads.threadId)
    .limit(limit)
    .all();
  return rows.map((r) => r.id);
}

/** The queue gave up on the thread: it is failed with its last error, and retried by a later backfill. */
export async function markDeadLettered(db: Database, threadId: string, now: number, retryAt: number): Promise<void> {
  await db
    .update(threads)
    .set({
      status: "failed",
      error: sql`coalesce(${threads.error}, json_object('code', 'dead_lettered', 'message', 'the queue gave up on this thread after its retries'))`,
      nextAttemptAt: retryAt,
      updatedAt: now,
    })
    .where(and(eq(threads.threadId, threadId), inArray(threads.status, ["pending", "migrating", "failed"])))
    .run();
}

/** The newest failed or source_unavailable thread: one row of each status, read through their index. */
export async function latestFailure(db: Database): Promise<Pick<ThreadRow, "threadId" | "status" | "error" | "updatedAt"> | undefined> {
  const newest = (status: ThreadStatus) =>
    db
      .select({ threadId: threads.threadId, status: threads.status, error: threads.error, updatedAt: threads.updatedAt })
      .from(threads)
      .where(eq(threads.status, status))
      .orderBy(desc(threads.updatedAt))
      .limit(1)
      .get();
  const rows = await Promise.all([newest("failed"), newest("source_unavailable")]);
  return rows.filter((r) => r !== undefined).sort((a, b) => b.updatedAt - a.updatedAt)[0];
}

/** A migrated thread's files check failed; its files state stays as it was until the queue gives up. */
export async function recordFilesError(db: Database, threadId: string, error: StoredError, now: number): Promise<void> {
  await db.update(threads).set({ error, updatedAt: now }).where(and(eq(threads.threadId, threadId), eq(threads.status, "migrated"))).run();
}

/** The queue gave up on a migrated thread's files check: files_status failed with its last error, retried by a later backfill. */
export async function failThreadFiles(db: Database, threadId: string, now: number, retryAt: number): Promise<void> {
  await db
    .update(threads)
    .set({
      filesStatus: "failed",
      error: sql`coalesce(${threads.error}, json_object('code', 'dead_lettered', 'message', 'the queue gave up checking this thread''s files after its retries'))`,
      nextAttemptAt: retryAt,
      updatedAt: now,
    })
    .where(and(eq(threads.threadId, threadId), eq(threads.status, "migrated")))
    .run();
}

/** The outcome of a migrated thread's files check (contract §5). */
export async function saveThreadFiles(
  db: Database,
  threadId: string,
  update: Partial<Pick<ThreadRow, "liveToolResources" | "filesStatus" | "warnings" | "error" | "filesScan">>,
  now: number,
): Promise<void> {
  await db.update(threads).set({ ...update, updatedAt: now }).where(eq(threads.threadId, threadId)).run();
}
