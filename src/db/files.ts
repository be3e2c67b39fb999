import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "./client";
import { ownedVectorStores, storeFiles, type StoredError } from "./schema";

export type OwnedStore = typeof ownedVectorStores.$inferSelect;

export async function findOwnedStore(db: Database, ownerId: string): Promise<OwnedStore | undefined> {
  return db.select().from(ownedVectorStores).where(eq(ownedVectorStores.ownerId, ownerId)).get();
}

export async function recordOwnedStore(db: Database, ownerId: string, vectorStoreId: string | null): Promise<void> {
  await db
    .insert(ownedVectorStores)
    .values({ ownerId, vectorStoreId })
    .onConflictDoUpdate({ target: ownedVectorStores.ownerId, set: { vectorStoreId, createToken: null, createStartedAt: null } })
    .run();
}

/**
 * Announces a store create with a token, unless another holder announced one that may still be
 * under way (newer than `staleBefore`). Returns whether this caller may create.
 */
export async function claimStoreCreate(db: Database, ownerId: string, token: string, now: number, staleBefore: number): Promise<boolean> {
  await db.insert(ownedVectorStores).values({ ownerId }).onConflictDoNothing().run();
  const claimed = await db
    .update(ownedVectorStores)
    .set({ createToken: token, createStartedAt: now })
    .where(
      and(
        eq(ownedVectorStores.ownerId, ownerId),
        isNull(ownedVectorStores.vectorStoreId),
        or(isNull(ownedVectorStores.createToken), lt(ownedVectorStores.createStartedAt, staleBefore)),
      ),
    )
    .returning({ id: ownedVectorStores.ownerId })
    .get();
  return claimed !== undefined;
}

export type StoreFileRow = typeof storeFiles.$inferSelect;

export async function listStoreFiles(db: Database, ownerId: string): Promise<StoreFileRow[]> {
  return db.select().from(storeFiles).where(eq(storeFiles.ownerId, ownerId)).all();
}

/** Records files' state in the owner's store; one statement per 12 rows keeps D1's 100-parameter cap. */
export async function saveStoreFiles(
  db: Database,
  rows: { ownerId: string; fileId: string; vectorStoreId: string; status: StoreFileRow["status"]; batchId?: string | null; lastError?: StoredError | null }[],
  now: number,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 12) {
    await db
      .insert(storeFiles)
      .values(rows.slice(i, i + 12).map((r) => ({ ...r, updatedAt: now })))
      .onConflictDoUpdate({
        target: [storeFiles.ownerId, storeFiles.fileId],
        set: {
          vectorStoreId: sql`excluded.vector_store_id`,
          status: sql`excluded.status`,
          batchId: sql`excluded.batch_id`,
          lastError: sql`excluded.last_error`,
          updatedAt: now,
        },
      })
      .run();
  }
}

/** A finished batch: its failed files with their reasons, every other file of it completed. */
export async function settleBatch(db: Database, batchId: string, failed: { fileId: string; error: StoredError }[], now: number): Promise<void> {
  for (const f of failed) {
    await db.update(storeFiles).set({ status: "failed", lastError: f.error, updatedAt: now }).where(and(eq(storeFiles.batchId, batchId), eq(storeFiles.fileId, f.fileId))).run();
  }
  await db.update(storeFiles).set({ status: "completed", updatedAt: now }).where(and(eq(storeFiles.batchId, batchId), eq(storeFiles.status, "in_progress"))).run();
}

/** The queue gave up following a batch: its files still in progress end failed with the reason. */
export async function failBatch(db: Database, batchId: string, error: StoredError, now: number): Promise<void> {
  await db.update(storeFiles).set({ status: "failed", lastError: error, updatedAt: now }).where(and(eq(storeFiles.batchId, batchId), eq(storeFiles.status, "in_progress"))).run();
}

export async function countStoreFilesByStatus(db: Database, ownerIds: readonly string[]): Promise<Record<StoreFileRow["status"], number>> {
  const rows = await db
    .select({ status: storeFiles.status, n: sql<number>`count(*)` })
    .from(storeFiles)
    .where(inArray(storeFiles.ownerId, [...ownerIds]))
    .groupBy(storeFiles.status)
    .all();
  const out = { in_progress: 0, completed: 0, failed: 0 };
  for (const r of rows) out[r.status] = r.n;
  return out;
}
