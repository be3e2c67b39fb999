import { and, eq, lt, sql } from "drizzle-orm";
import type { Database } from "./client";
import { threadDiscovery, type StoredError, type ThreadDiscovery } from "./schema";

export async function findDiscovery(db: Database, source: string): Promise<ThreadDiscovery | undefined> {
  return db.select().from(threadDiscovery).where(eq(threadDiscovery.source, source)).get();
}

export interface DiscoveryStep {
  /** Where the listed page started: the cursor must still stand there. */
  from: string | null;
  /** Where the next page starts. */
  to: string | null;
  runId: string;
  /** Threads the page listed. */
  listed: number;
  /** The listing reached the source's newest thread. */
  done: boolean;
}

/**
 * Moves the listing's cursor on, only if it still stands where the page started: a page listed
 * twice (a redelivery, a second run resuming the same listing, the sweep's nudge) moves it once,
 * and the copy that loses sends no next page. True when this call moved it.
 */
export async function advanceDiscovery(db: Database, source: string, step: DiscoveryStep, now: number): Promise<boolean> {
  const status = step.done ? "listed" : "listing";
  const row = await db
    .insert(threadDiscovery)
    .values({ source, status, cursor: step.to, runId: step.runId, listed: step.listed, updatedAt: now })
    .onConflictDoUpdate({
      target: threadDiscovery.source,
      set: { status, cursor: step.to, runId: step.runId, listed: sql`${threadDiscovery.listed} + ${step.listed}`, error: null, updatedAt: now },
      setWhere: sql`${threadDiscovery.cursor} is ${step.from}`,
    })
    .returning({ source: threadDiscovery.source })
    .get();
  return row !== undefined;
}

/** The source refused to list its threads: recorded once, and it is not asked again (contract §6.1). */
export async function refuseDiscovery(db: Database, source: string, runId: string, error: StoredError, now: number): Promise<void> {
  await db
    .insert(threadDiscovery)
    .values({ source, status: "refused", runId, error, updatedAt: now })
    .onConflictDoUpdate({ target: threadDiscovery.source, set: { status: "refused", runId, error, updatedAt: now } })
    .run();
}

/** How long a listing may go without a page before the sweep sends its next page again. */
const STALL_MS = 30 * 60 * 1000;

/**
 * The source's listing when it stopped between pages (a Worker died after moving the cursor,
 * before sending the next page); marked as nudged, so the sweep sends it once per stall.
 */
export async function takeStalledDiscovery(db: Database, source: string, now: number): Promise<ThreadDiscovery | undefined> {
  return db
    .update(threadDiscovery)
    .set({ updatedAt: now })
    .where(and(eq(threadDiscovery.source, source), eq(threadDiscovery.status, "listing"), lt(threadDiscovery.updatedAt, now - STALL_MS)))
    .returning()
    .get();
}
