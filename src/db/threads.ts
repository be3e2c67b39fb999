import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "./client";
import { threads, type StoredError, type ThreadRow, type ThreadStatus } from "./schema";

/** D1 allows 100 bound parameters per statement. */
const IDS_PER_STATEMENT = 90;

export async function findThread(db: Database, threadId: string): Promise<ThreadRow | undefined> {
  return db.select().from(threads).where(eq(threads.threadId, threadId)).get();
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
export async function registerThreads(db: Database, threadIds: readonly string[]): Promise<number> {
  let added = 0;
  // Two bound values per row (id plus nothing else) keep each statement under D1's parameter cap.
  for (let i = 0; i < threadIds.length; i += IDS_PER_STATEMENT) {
    const values = threadIds.slice(i, i + IDS_PER_STATEMENT).map((threadId) => ({ threadId }));
    const inserted = await db.insert(threads).values(values).onConflictDoNothing().returning({ id: threads.threadId });
    added += inserted.length;
  }
  return added;
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
        attempts: sql`${threads.attempts} + 1`,
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
    | "messagesMigrated"
    | "warnings"
    | "toolResources"
    | "attachedFiles"
    | "metadataOverflow"
    | "leaseUntil"
    | "needsReconcile"
  >
>;

/** Records progress while holding the lease; false when the lease was lost to another holder. */
export async function saveCheckpoint(db: Database, threadId: string, owner: string, checkpoint: Checkpoint, now: number) {
  const row = await db
    .update(threads)
    .set({ ...checkpoint, updatedAt: now })
    .where(and(eq(threads.threadId, threadId), eq(threads.leaseOwner, owner)))
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
    .where(and(eq(threads.threadId, threadId), eq(threads.leaseOwner, owner)))
    .returning()
    .get();
}
