import { eq, sql } from "drizzle-orm";
import { IDS_PER_STATEMENT, type Database } from "./client";
import { assistants, type AssistantRow, type StoredError } from "./schema";

export async function findAssistant(db: Database, assistantId: string): Promise<AssistantRow | undefined> {
  return db.select().from(assistants).where(eq(assistants.assistantId, assistantId)).get();
}

/** Registers assistants found by discovery; known ones are left as they are. */
/** Three values a row: D1 binds at most 100 per statement. */
const LISTED_PER_STATEMENT = IDS_PER_STATEMENT / 3;

/**
 * Registers the assistants a listing showed, with the tool types it shows of each (kept as
 * AssistantToolsCache keeps them), so their threads' migrations need not read them
 * (MIGRATE_TOOL_CALLS=auto); whatever else ferry recorded of a known assistant stays.
 */
export async function registerAssistants(db: Database, listed: readonly { id: string; toolTypes: string[] }[], now: number): Promise<void> {
  for (let i = 0; i < listed.length; i += LISTED_PER_STATEMENT) {
    const rows = listed.slice(i, i + LISTED_PER_STATEMENT).map((a) => sql`(${a.id}, ${JSON.stringify({ types: a.toolTypes })}, ${now})`);
    await db.run(
      sql`insert into ${assistants} (assistant_id, tool_types, updated_at) values ${sql.join(rows, sql`, `)}
          on conflict (assistant_id) do update set tool_types = excluded.tool_types, updated_at = excluded.updated_at`,
    );
  }
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

/** The assistant tools ferry recorded (see AssistantToolsCache): undefined when it never read them. */
export async function readAssistantTools(db: Database, assistantId: string): Promise<string[] | null | undefined> {
  const row = await db.select({ toolTypes: assistants.toolTypes }).from(assistants).where(eq(assistants.assistantId, assistantId)).get();
  return row?.toolTypes ? row.toolTypes.types : undefined;
}

export async function saveAssistantTools(db: Database, assistantId: string, types: string[] | null, now: number): Promise<void> {
  await saveAssistant(db, assistantId, { toolTypes: { types } }, now);
}

/** The assistant's sync failed; its state stays as it was until the queue gives up. */
export async function recordAssistantError(db: Database, assistantId: string, error: StoredError, now: number): Promise<void> {
  await saveAssistant(db, assistantId, { error }, now);
}

const DEAD_LETTERED: StoredError = { code: "dead_lettered", message: "the queue gave up on this assistant after its retries" };

/** The queue gave up on the assistant's sync: failed with its last error; the next backfill syncs it again. */
export async function failAssistant(db: Database, assistantId: string, now: number): Promise<void> {
  await db
    .insert(assistants)
    .values({ assistantId, status: "failed", error: DEAD_LETTERED, updatedAt: now })
    .onConflictDoUpdate({ target: assistants.assistantId, set: { status: "failed", error: sql`coalesce(${assistants.error}, excluded.error)`, updatedAt: now } })
    .run();
}
