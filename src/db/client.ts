import { sql, type SQL } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "./schema";

/** drizzle over D1, with the raw binding (`$client`) for the few statements drizzle cannot build. */
export type Database = DrizzleD1Database<typeof schema> & { $client: D1Database };

const instances = new WeakMap<D1Database, Database>();

/** One drizzle instance per D1 binding, so it and the statements prepared on it are built once per isolate. */
export function createDb(d1: D1Database): Database {
  let db = instances.get(d1);
  if (!db) {
    db = drizzle(d1, { schema });
    instances.set(d1, db);
  }
  return db;
}

/** A statement built once per database instance: the hot reads skip drizzle's query building. */
export function preparedOnce<T>(build: (db: Database) => T): (db: Database) => T {
  const cache = new WeakMap<Database, T>();
  return (db) => {
    let statement = cache.get(db);
    if (!statement) {
      statement = build(db);
      cache.set(db, statement);
    }
    return statement;
  };
}

/** D1 allows 100 bound parameters per statement. */
export const IDS_PER_STATEMENT = 90;

/**
 * Inserts rows known only by their id, leaving existing ones as they are; returns how many were new.
 * Only the id is bound (drizzle's insert would bind every defaulted column too, past D1's cap).
 */
export async function insertNewIds(db: Database, table: SQLiteTable, idColumn: string, ids: readonly string[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
    const values: SQL = sql.join(ids.slice(i, i + IDS_PER_STATEMENT).map((id) => sql`(${id})`), sql`, `);
    const column = sql.identifier(idColumn);
    added += (await db.all(sql`insert into ${table} (${column}) values ${values} on conflict do nothing returning ${column}`)).length;
  }
  return added;
}
