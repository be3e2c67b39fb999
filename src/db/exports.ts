import { and, eq, gt, inArray, lt, lte, sql } from "drizzle-orm";
import type { ExportLocation } from "../exports/location";
import { IDS_PER_STATEMENT, type Database } from "./client";
import { exportChunks, exportThreads, threadExports, threads, type ExportRow, type OpenThread, type Rejection, type StoredError } from "./schema";

/** The export's rejections shown: the first ones (contract §6.2); the count says how many there were. */
export const REJECTIONS_KEPT = 100;
/** export_threads rows per insert: six bound columns each, within D1's 100 parameters. */
const THREAD_ROWS_PER_STATEMENT = 16;

export async function createExport(db: Database, values: Pick<ExportRow, "id" | "uploadKey" | "format" | "bytes"> & { linesKey: string | null }, now: number): Promise<ExportRow> {
  return (await db.insert(threadExports).values({ ...values, createdAt: now, updatedAt: now }).returning().get())!;
}

export function findExport(db: Database, id: string): Promise<ExportRow | undefined> {
  return db.select().from(threadExports).where(eq(threadExports.id, id)).get();
}

/** A JSON document was re-written one element a line (`bytes` long): ingestion reads that from now on. */
export async function setLinesKey(db: Database, id: string, linesKey: string, bytes: number, now: number): Promise<void> {
  await db.update(threadExports).set({ linesKey, bytes, updatedAt: now }).where(eq(threadExports.id, id)).run();
}

/** Keeps the last error of a failed ingestion attempt while the queue tries again. */
export async function recordExportError(db: Database, id: string, error: StoredError, now: number): Promise<void> {
  await db.update(threadExports).set({ error, updatedAt: now }).where(eq(threadExports.id, id)).run();
}

/** The export cannot be ingested (any further): `failed` with the reason, or its last error when the queue gave up. */
export async function failExport(db: Database, id: string, error: StoredError | null, now: number): Promise<void> {
  await db
    .update(threadExports)
    .set({
      status: "failed",
      error: error ?? sql`coalesce(${threadExports.error}, json_object('code', 'dead_lettered', 'message', 'the queue gave up ingesting this export after its retries'))`,
      updatedAt: now,
    })
    .where(and(eq(threadExports.id, id), eq(threadExports.status, "ingesting")))
    .run();
}

/**
 * Exports still ingesting that have not moved for `stallMs` (their queue message was lost), marked
 * as touched now so the next sweep leaves them alone while the message it sends is on its way.
 */
export async function claimStalledExports(db: Database, now: number, stallMs: number, limit: number): Promise<string[]> {
  const stalled = db
    .select({ id: threadExports.id })
    .from(threadExports)
    .where(and(eq(threadExports.status, "ingesting"), lt(threadExports.updatedAt, now - stallMs)))
    .limit(limit);
  const rows = await db.update(threadExports).set({ updatedAt: now }).where(inArray(threadExports.id, stalled)).returning({ id: threadExports.id }).all();
  return rows.map((r) => r.id);
}

/** Threads of the export already found (in an earlier chunk), with the lines they spanned. */
export async function seenThreads(db: Database, exportId: string, threadIds: readonly string[]): Promise<Map<string, { firstLine: number; lastLine: number }>> {
  const seen = new Map<string, { firstLine: number; lastLine: number }>();
  for (let i = 0; i < threadIds.length; i += IDS_PER_STATEMENT) {
    const rows = await db
      .select({ threadId: exportThreads.threadId, firstLine: exportThreads.firstLine, lastLine: exportThreads.lastLine })
      .from(exportThreads)
      .where(and(eq(exportThreads.exportId, exportId), inArray(exportThreads.threadId, threadIds.slice(i, i + IDS_PER_STATEMENT))))
      .all();
    for (const r of rows) seen.set(r.threadId, r);
  }
  return seen;
}

export interface FoundThread {
  threadId: string;
  firstLine: number;
  lastLine: number;
  location: ExportLocation;
}

export interface ChunkCommit {
  exportId: string;
  start: number;
  end: number;
  /** Lines read up to `end`. */
  lines: number;
  found: FoundThread[];
  open: OpenThread | null;
  rejections: Rejection[];
  /** Rejections kept so far, before this chunk's. */
  kept: Rejection[];
  /** The export's last chunk: ingestion ends with it. */
  last: boolean;
  now: number;
}

/**
 * Commits one chunk in one atomic batch: its ledger row, the threads it found, their registration
 * as `pending` export threads (known ids keep their state), and the export's checkpoint and counts.
 * A chunk already committed (a second delivery got here first) fails the whole batch on its ledger
 * row: returns false then.
 */
export async function commitChunk(db: Database, c: ChunkCommit): Promise<boolean> {
  const ofChunk = and(eq(exportThreads.exportId, c.exportId), eq(exportThreads.chunk, c.start));
  const chunkThreadIds = db.select({ id: exportThreads.threadId }).from(exportThreads).where(ofChunk);
  const statements: D1PreparedStatement[] = [statement(db, db.insert(exportChunks).values({ exportId: c.exportId, start: c.start, end: c.end }))];
  for (let i = 0; i < c.found.length; i += THREAD_ROWS_PER_STATEMENT) {
    const rows = c.found.slice(i, i + THREAD_ROWS_PER_STATEMENT).map((t) => ({ exportId: c.exportId, chunk: c.start, ...t }));
    statements.push(statement(db, db.insert(exportThreads).values(rows)));
  }
  // Written by hand: drizzle's insert-select binds every column of the wide threads table.
  const register = db.$client
    .prepare(
      "insert into threads (thread_id, source, export_id, export_location) " +
        "select thread_id, 'export', export_id, location from export_threads where export_id = ? and chunk = ? " +
        "on conflict do nothing",
    )
    .bind(c.exportId, c.start);
  const checkpoint = db
    .update(threadExports)
    .set({
      offset: c.end,
      lines: c.lines,
      openThread: c.open,
      threadsFound: sql`${threadExports.threadsFound} + (select count(*) from ${exportThreads} where ${ofChunk})`,
      threadsRegistered: sql`${threadExports.threadsRegistered} + (select count(*) from ${threads} where ${threads.exportId} = ${c.exportId} and ${threads.threadId} in ${chunkThreadIds})`,
      linesRejected: sql`${threadExports.linesRejected} + ${c.rejections.length}`,
      rejections: [...c.kept, ...c.rejections].slice(0, REJECTIONS_KEPT),
      error: null,
      updatedAt: c.now,
      ...(c.last ? { status: "ingested" as const, ingestedAt: c.now } : {}),
    })
    .where(eq(threadExports.id, c.exportId));
  try {
    // The raw client's batch: drizzle's cannot carry the hand-written statement. One transaction either way.
    await db.$client.batch([...statements, register, statement(db, checkpoint)]);
    return true;
  } catch (err) {
    if (isChunkConflict(err)) return false;
    throw err;
  }
}

/** The threads this export registered, in id order after `after`: the next page of migrations to queue. */
export async function registeredAfter(db: Database, exportId: string, after: string | null, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: threads.threadId })
    .from(threads)
    .where(and(eq(threads.exportId, exportId), after ? gt(threads.threadId, after) : undefined))
    .orderBy(threads.threadId)
    .limit(limit)
    .all();
  return rows.map((r) => r.id);
}

/** Records a page of queued migrations (threads after `after` up to `last`), and with the last page that all were. */
export async function markQueued(db: Database, exportId: string, after: string | null, last: string | null, done: boolean, now: number): Promise<void> {
  const exportRow = db
    .update(threadExports)
    .set({ queuedAfter: last ?? after, error: null, updatedAt: now, ...(done ? { queuedAt: now } : {}) })
    .where(eq(threadExports.id, exportId));
  if (!last) return void (await exportRow.run());
  const page = db.update(threads).set({ enqueuedAt: now }).where(and(eq(threads.exportId, exportId), after ? gt(threads.threadId, after) : undefined, lte(threads.threadId, last)));
  await db.batch([page, exportRow]);
}

/** A drizzle query as a D1 statement, for the raw client's batch. */
function statement(db: Database, query: { toSQL(): { sql: string; params: unknown[] } }): D1PreparedStatement {
  const { sql: text, params } = query.toSQL();
  return db.$client.prepare(text).bind(...params);
}

/** The batch failed on the chunk's ledger row: the chunk was committed by another delivery. */
function isChunkConflict(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) if (/UNIQUE constraint failed: export_chunks/.test(e.message)) return true;
  return false;
}
