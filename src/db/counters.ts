import { inArray, sql } from "drizzle-orm";
import type { Database } from "./client";
import { COUNTERS, counters, type CounterName } from "./schema";

export async function increment(db: Database, name: CounterName, by = 1): Promise<void> {
  await db
    .insert(counters)
    .values({ name, value: by })
    .onConflictDoUpdate({ target: counters.name, set: { value: sql`${counters.value} + ${by}` } })
    .run();
}

export async function readCounters(db: Database): Promise<Record<CounterName, number>> {
  const rows = await db.select().from(counters).where(inArray(counters.name, [...COUNTERS])).all(); // by key, not a scan
  const out: Record<CounterName, number> = { dead_lettered: 0, malformed_messages: 0 };
  for (const row of rows) out[row.name] = row.value;
  return out;
}
