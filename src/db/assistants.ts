import { eq, sql } from "drizzle-orm";
import { insertNewIds, type Database } from "./client";
import { assistants, type AssistantRow, type AssistantStatus } from "./schema";

export async function findAssistant(db: Database, assistantId: string): Promise<AssistantRow | undefined> {
  return db.select().from(assistants).where(eq(assistants.assistantId, assistantId)).get();
}

/** Registers assistants found by discovery; known ones are left as they are. */
export async function registerAssistants(db: Database, ids: readonly string[]): Promise<void> {
  await insertNewIds(db, assistants, "assistant_id", ids);
}

export type AssistantUpdate = Partial<Omit<AssistantRow, "assistantId" | "createdAt">>;

export async function saveAssistant(db: Database, assistantId: string, update: AssistantUpdate, now: number): Promise<AssistantRow> {
  return (await db
    .insert(assistants)
    .values({ assistantId, ...update, updatedAt: now })
    .onConflictDoUpdate({ target: assistants.assistantId, set: { ...update, updatedAt: now } })
    .returning()
    .get())!;
}

export async function countAssistantsByStatus(db: Database): Promise<Record<AssistantStatus, number>> {
  const rows = await db.select({ status: assistants.status, n: sql<number>`count(*)` }).from(assistants).groupBy(assistants.status).all();
  const out: Record<AssistantStatus, number> = { pending: 0, ingesting: 0, synced: 0, failed: 0, source_unavailable: 0 };
  for (const r of rows) out[r.status] = r.n;
  return out;
}
