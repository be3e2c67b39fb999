import { between, inArray } from "drizzle-orm";
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
 * Threads migrated in each hour from the one `since` falls in (counted whole, so a 24-hour window
 * has 25 hours) to the one `now` falls in, oldest first, an hour with none as 0. 25 rows at most.
 */
export async function migratedPerHour(db: Database, since: number, now: number): Promise<{ hour: number; threads: number }[]> {
  const [first, last] = [Math.floor(since / HOUR_MS), Math.floor(now / HOUR_MS)];
  const rows = await db.select().from(migratedByHour).where(between(migratedByHour.hour, first, last)).all();
  const counted = new Map(rows.map((r) => [r.hour, r.n]));
  return Array.from({ length: last - first + 1 }, (_, i) => ({ hour: (first + i) * HOUR_MS, threads: counted.get(first + i) ?? 0 }));
}
