import { gte, inArray, sql } from "drizzle-orm";
import type { Database } from "./client";
import { ASSISTANT_STATUSES, type AssistantStatus, COUNTED_ENTITIES, migratedByHour, STORE_FILE_STATUSES, statusCounts, THREAD_STATUSES, type ThreadStatus } from "./schema";

const HOUR_MS = 60 * 60 * 1000;

const zeros = <S extends string>(statuses: readonly S[]) => Object.fromEntries(statuses.map((s) => [s, 0])) as Record<S, number>;

export interface StatusCounts {
  threads: Record<ThreadStatus, number>;
  assistants: Record<AssistantStatus, number>;
  files: Record<(typeof STORE_FILE_STATUSES)[number], number>;
}

/** Rows by status for threads, assistants and store files: the few rows the triggers keep (migrations/0008), never a count. */
export async function readStatusCounts(db: Database): Promise<StatusCounts> {
  const out: StatusCounts = { threads: zeros(THREAD_STATUSES), assistants: zeros(ASSISTANT_STATUSES), files: zeros(STORE_FILE_STATUSES) };
  const into = { thread: out.threads, assistant: out.assistants, file: out.files } as Record<string, Record<string, number>>;
  for (const row of await db.select().from(statusCounts).where(inArray(statusCounts.entity, [...COUNTED_ENTITIES])).all()) into[row.entity]![row.status] = row.n;
  return out;
}

/**
 * Threads migrated since `since`, in whole hours: the hour `since` falls in counts whole, so the
 * figure covers between 24 and 25 hours for a 24-hour window. 25 rows at most.
 */
export async function countMigratedSince(db: Database, since: number): Promise<number> {
  const row = await db
    .select({ n: sql<number>`coalesce(sum(${migratedByHour.n}), 0)` })
    .from(migratedByHour)
    .where(gte(migratedByHour.hour, Math.floor(since / HOUR_MS)))
    .get();
  return row?.n ?? 0;
}
