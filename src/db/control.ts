import { eq, sql } from "drizzle-orm";
import type { Database } from "./client";
import { backfillControl } from "./schema";

const ROW = 1;

/** When the backfill was paused (contract §7.2), or null while it runs. One row read. */
export async function backfillPausedAt(db: Database): Promise<number | null> {
  return (await db.select({ pausedAt: backfillControl.pausedAt }).from(backfillControl).where(eq(backfillControl.id, ROW)).get())?.pausedAt ?? null;
}

/** Pauses the backfill; pausing it again keeps the time it was first paused. Returns that time. */
export async function pauseBackfill(db: Database, now: number): Promise<number> {
  const row = await db
    .insert(backfillControl)
    .values({ id: ROW, pausedAt: now })
    .onConflictDoUpdate({ target: backfillControl.id, set: { pausedAt: sql`coalesce(${backfillControl.pausedAt}, excluded.paused_at)` } })
    .returning()
    .get();
  return row!.pausedAt!;
}

export async function resumeBackfill(db: Database): Promise<void> {
  await db.update(backfillControl).set({ pausedAt: null }).where(eq(backfillControl.id, ROW)).run();
}
